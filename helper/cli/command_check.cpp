// osv-symbols check: does the kernel (plus the app's own libraries) provide every import?
#include <iostream>

#include "app_analysis.hpp"
#include "commands.hpp"
#include "error.hpp"

namespace osv {
namespace {

constexpr const char* check_usage = R"(usage: osv-symbols check (--exports SOURCE | --kit KIT)... [INPUT...] [--manifest FILE]...
           [--define VAR=VALUE]... [--keep NAME_OR_GLOB]... [--keep-file FILE] [--config FILE.yaml]

Checks that every import of the app is provided: by the kernel's exports, by one of the app's
own files, or is weak. Prints each unresolved import with the files importing it and exits 1 if
there is any; prints a one-line summary and exits 0 otherwise.
)";

}  // namespace

int run_check(const Arguments& args) {
    if (print_help_if_asked(args, check_usage)) return 0;
    const ParsedOptions options = parse_options("check", args, analysis_option_specs(), true);
    const AppAnalysis analysis = analyse_app(options, "check", false);
    print_dl_warnings(analysis.plan);
    for (const auto& [name, importers] : analysis.plan.unresolved) {
        std::cout << name << ":";
        for (const auto& file : importers) std::cout << " " << file;
        std::cout << "\n";
    }
    if (!analysis.plan.unresolved.empty())
        throw CheckFailed(unresolved_failure(analysis.plan, "found by check"));
    std::cout << "ok: " << analysis.app.programs.size() << " file(s), " << analysis.plan.needed_count
              << " imports, all provided (" << analysis.plan.script.size() - analysis.plan.kept.size()
              << " by the kernel)\n";
    return 0;
}

}  // namespace osv
