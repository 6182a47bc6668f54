#include "app_analysis.hpp"

#include <iostream>

#include "error.hpp"

namespace osv {

AppAnalysis analyse_app(const ParsedOptions& options, std::string_view command, bool find_candidates) {
    AppAnalysis analysis;
    analysis.request = app_request_from(options, command);
    analysis.exports = export_set_from(options, command);
    if (analysis.request.inputs.empty() && analysis.request.manifests.empty())
        throw UsageError("osv-symbols " + std::string(command) + ": no INPUT or --manifest given");
    analysis.app = collect_app(analysis.request);
    check_same_architecture(analysis.app.programs, analysis.exports);
    analysis.plan = plan_symbols(analysis.app.programs, analysis.exports, analysis.request.keeps, find_candidates);
    return analysis;
}

void print_diagnostics(const AppAnalysis& analysis, std::size_t unresolved_lines) {
    for (const auto& program : analysis.app.programs)
        if (program.is_static)
            std::cerr << "osv-symbols: note: " << program.path.string() << " is statically linked: it imports nothing\n";
    for (const auto& user : analysis.plan.dl_users) {
        std::string functions;
        for (const auto& f : user.functions) functions += (functions.empty() ? "" : ", ") + f;
        std::cerr << "osv-symbols: warning: " << user.path.string() << " imports " << functions
                  << ": names it looks up at run time are not imports; keep them with --keep (the report lists "
                     "candidates)\n";
    }
    for (const auto& keep : analysis.plan.unmatched_keeps)
        std::cerr << "osv-symbols: warning: keep entry '" << keep << "' matches no kernel export\n";
    std::size_t printed = 0;
    for (const auto& [name, importers] : analysis.plan.unresolved) {
        if (printed++ == unresolved_lines) {
            std::cerr << "osv-symbols: ... and " << analysis.plan.unresolved.size() - unresolved_lines
                      << " more unresolved imports, all listed in the report\n";
            break;
        }
        std::string files;
        for (const auto& f : importers) files += (files.empty() ? "" : ", ") + f.string();
        std::cerr << "osv-symbols: unresolved: " << name << " (imported by " << files << ")\n";
    }
}

}  // namespace osv
