// osv-symbols explain: what is in a kernel and why, generic and specialized side by side.
#include <iostream>

#include "atomic_output.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "explain.hpp"
#include "options.hpp"

namespace osv {
namespace {

constexpr const char* explain_usage = R"(usage: osv-symbols explain --kit KIT [--version-script FILE] [-o report.yaml] [--html report.html]
           [--why NAME]... [--top N]

Relinks the kit's kernel with ld.bfd and a link map, once with every export (generic) and once
with the version script (specialized), and prints where the bytes go: by OSv component (core,
fs/<name>, bsd, drivers, libc, musl, arch, external/<name>, libstdc++, libgcc) and by section kind
(text, rodata, data, bss, eh_frame, other), the exports that keep the most code alive on their own
(exclusive bytes: live with every export minus live without that one), and what holds the code
that stays with no export at all. Sizes come from the linker's map and sum to the kernel's
allocated sections; exclusive bytes and chains come from a model of --gc-sections over the
inputs' relocations, whose agreement with the map the report states.

  --kit FILE             from 'osv-symbols kit capture' or 'kit bundle'
  --version-script FILE  the app's script; without it the generic kernel alone is explained
  -o, --output FILE      the full report as YAML
  --html FILE            a self-contained treemap (no network needed)
  --why NAME             one reference chain from a root to NAME (a symbol, section, input file
                         or component); repeatable
  --top N                rows per table (default 10)
)";

}  // namespace

int run_explain(const Arguments& args) {
    if (print_help_if_asked(args, explain_usage)) return 0;
    const ParsedOptions options = parse_options(
        "explain", args,
        {{"kit", true, false}, {"version-script", true, false}, {"output", true, false, 'o'}, {"html", true, false},
         {"why", true, true}, {"top", true, false}},
        false);
    if (!options.value("kit")) throw UsageError("osv-symbols explain: --kit KIT is required");
    ExplainRequest request;
    request.kit_file = *options.value("kit");
    if (const auto script = options.value("version-script")) request.version_script = *script;
    request.why = options.values("why");
    std::size_t top = 10;
    if (const auto value = options.value("top")) {
        try {
            top = std::stoul(*value);
        } catch (const std::exception&) {
            throw UsageError("osv-symbols explain: --top takes a number, got '" + *value + "'");
        }
    }
    const Explanation explanation = explain_kernel(request);
    for (const KernelLayout* layout : {&explanation.generic, explanation.specialized ? &*explanation.specialized : nullptr})
        if (layout)
            for (const auto& warning : layout->warnings) std::cerr << "osv-symbols: warning: " << layout->label << ": " << warning << "\n";
    OutputBatch outputs;
    if (const auto output = options.value("output")) outputs.add(*output, render_explain_yaml(explanation));
    if (const auto html = options.value("html")) outputs.add(*html, render_explain_html(explanation));
    outputs.refuse_overlap(explanation.files_read);
    outputs.commit();
    std::cout << render_explain_table(explanation, top);
    return 0;
}

}  // namespace osv
