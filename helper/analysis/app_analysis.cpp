#include "app_analysis.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <iostream>
#include <sstream>

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
    analysis.plan = plan_symbols(analysis.app.programs, analysis.exports, analysis.request.keeps, find_candidates,
                                 analysis.app.defined_imports);
    // A folder of plugins often holds one file under many names (Mesa's dri/*.so are hard links of
    // one 30 MB library): its .rodata is searched once.
    std::map<std::pair<dev_t, ino_t>, std::vector<std::string>> hints_by_file;
    for (auto& user : analysis.plan.dl_users) {
        if (std::find(user.functions.begin(), user.functions.end(), "dlopen") == user.functions.end()) continue;
        struct stat status;
        if (::stat(user.path.c_str(), &status) != 0) {
            user.library_hints = read_rodata_library_hints(user.path);
            continue;
        }
        auto [it, inserted] = hints_by_file.try_emplace({status.st_dev, status.st_ino});
        if (inserted) it->second = read_rodata_library_hints(user.path);
        user.library_hints = it->second;
    }
    return analysis;
}

namespace {

// Standard error is unbuffered: every << was a write(2), thousands for a large app. So the warnings
// go into a buffer first (`out`), written to standard error at once by the callers.
void write_dl_warnings(const SymbolPlan& plan, std::ostream& out) {
    for (const auto& user : plan.dl_users) {
        std::string functions;
        for (const auto& f : user.functions) functions += (functions.empty() ? "" : ", ") + f;
        std::string text = "osv-symbols: warning: " + quoted_path(user.path) + " imports " + functions +
                           ": names it looks up at run time are not imports; keep them with --keep (the report lists "
                           "candidates)";
        if (!user.library_hints.empty()) {
            text += "; the libraries and modules it dlopen()s must be inputs too (its strings name";
            std::size_t shown = 0;
            for (const auto& hint : user.library_hints) {
                if (shown++ == 8) {
                    text += " ...";
                    break;
                }
                text += " " + hint;
            }
            text += ")";
        }
        out << text << "\n";
    }
}

// Writes what `buffer` gathered to standard error once it holds `at_least` bytes, and empties it:
// one write(2) for many lines, yet never the whole text at once (a library folder's diagnostics
// are 230 KB, which an ostringstream and its str() copy held twice, at the end of the analysis
// where its memory peaks).
void spill(std::ostringstream& buffer, std::streamoff at_least = 16 * 1024) {
    if (buffer.tellp() < at_least) return;
    const std::string text = buffer.str();
    std::cerr.write(text.data(), static_cast<std::streamsize>(text.size()));
    buffer.str({});
}

}  // namespace

void print_dl_warnings(const SymbolPlan& plan) {
    std::ostringstream out;
    write_dl_warnings(plan, out);
    std::cerr << out.str() << std::flush;
}

void print_diagnostics(const AppAnalysis& analysis, std::size_t unresolved_lines) {
    std::ostringstream err;
    for (const auto& program : analysis.app.programs)
        if (program.is_static)
            err << "osv-symbols: note: " << quoted_path(program.path) << " is statically linked: it imports nothing\n";
    write_dl_warnings(analysis.plan, err);
    spill(err);
    if (!analysis.app.kernel_libraries.empty()) {
        std::string names;
        for (const auto& file : analysis.app.kernel_libraries) names += (names.empty() ? "" : ", ") + quoted_path(file.filename());
        err << "osv-symbols: note: skipped " << analysis.app.kernel_libraries.size() << " of glibc's own libraries ("
            << names << "): OSv's kernel provides them\n";
    }
    for (const auto& keep : analysis.plan.unmatched_keeps)
        err << "osv-symbols: warning: keep entry '" << quoted_text(keep) << "' matches no kernel export\n";
    std::size_t printed = 0;
    for (const auto& [name, importers] : analysis.plan.unresolved) {
        if (printed++ == unresolved_lines) {
            err << "osv-symbols: ... and " << analysis.plan.unresolved.size() - unresolved_lines
                      << " more unresolved imports, all listed in the report\n";
            break;
        }
        std::string files;
        for (const auto& f : importers) files += (files.empty() ? "" : ", ") + quoted_path(f);
        err << "osv-symbols: unresolved: " << name << " (imported by " << files << ")\n";
        spill(err);
    }
    spill(err, 0);
    std::cerr.flush();
}

std::string unresolved_failure(const SymbolPlan& plan, std::string_view what) {
    std::string names;
    std::size_t shown = 0;
    for (const auto& [name, importers] : plan.unresolved) {
        if (shown++ == 5) {
            names += ", ...";
            break;
        }
        names += (names.empty() ? "" : ", ") + name + " (" + std::filesystem::path(importers.front()).filename().string() +
                 (importers.size() > 1 ? " and " + std::to_string(importers.size() - 1) + " more" : "") + ")";
    }
    return std::to_string(plan.unresolved.size()) + " unresolved import(s) " + std::string(what) +
           ", provided by neither the kernel nor the app: " + names +
           "; add the library that defines them to the app's inputs, or, if the app never calls them, drop "
           "--strict (STRICT)";
}

}  // namespace osv
