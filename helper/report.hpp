// The YAML reports: what the analysis saw and decided (version-script --report), and what a
// relink produced (relink --report). Deterministic: sorted lists, no timestamps.
#pragma once

#include <string>
#include <vector>

#include "elf_file.hpp"
#include "library_closure.hpp"
#include "symbol_sets.hpp"

namespace osv {

std::string render_app_report(const std::vector<ElfSymbols>& programs, std::size_t skipped, const SymbolPlan& plan);

// What `closure` decided for each needed library: the file and the rule that found it, who asked,
// what OSv's kernel provides, what was not found and where it was looked for.
std::string render_closure_report(const std::vector<std::filesystem::path>& app_files, const LibraryClosure& closure);

struct RelinkSummary {
    std::string linker;              // ld.bfd / ld.lld
    bool icf = false;
    std::uintmax_t base_size = 0;    // the generic kernel, stripped
    std::uintmax_t new_size = 0;     // the relinked kernel, stripped
    std::size_t base_exports = 0;
    std::size_t new_exports = 0;
    double link_seconds = 0;
    bool changed = false;            // whether the output file was rewritten

    std::string one_line(const std::string& output_name) const;
};

// Timings vary run to run; the report keeps them apart from the stable facts.
std::string render_relink_report(const RelinkSummary& summary, const std::vector<std::string>& exports);

}  // namespace osv
