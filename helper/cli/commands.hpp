// One entry point per subcommand; main.cpp only dispatches. Each returns the exit status and
// throws InputError/UsageError/CheckFailed for the dispatcher to report in one line.
#pragma once

#include <string>
#include <vector>

namespace osv {

using Arguments = std::vector<std::string>;

int run_needed(const Arguments& args);
int run_exports(const Arguments& args);
int run_version_script(const Arguments& args);
int run_check(const Arguments& args);
int run_kit(const Arguments& args);
int run_relink(const Arguments& args);
int run_image(const Arguments& args);
int run_closure(const Arguments& args);
int run_explain(const Arguments& args);

// Prints `usage` when --help is among the arguments; returns true if it did.
bool print_help_if_asked(const Arguments& args, const char* usage);

}  // namespace osv
