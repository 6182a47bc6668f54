// Running the tools a relink needs (make, the linker, strip) without a shell: argv in, exit
// status out; standard error always passes through so the tools' own messages reach the user.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

struct ProcessResult {
    int exit_status = -1;      // 128 + signal number when killed by a signal
    std::string standard_output;  // only when captured
};

// Runs argv[0] (searched in PATH) in `cwd`. With capture_output, standard output is collected;
// otherwise it is inherited. Throws InputError when the program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool capture_output);

// For a fatal signal's handler (async-signal-safe): kills the child run_process is waiting for,
// if any, and reaps it, so that a killed relink leaves no linker running that could still write
// the temporary files the handler then removes.
void stop_running_child() noexcept;

// Splits one line of /bin/sh as make -n prints it into commands (at unquoted ';', '&&', '||')
// and words ('...', "..." and backslash escapes handled). Enough for the link lines of a Makefile.
std::vector<std::vector<std::string>> split_shell_commands(std::string_view line);

}  // namespace osv
