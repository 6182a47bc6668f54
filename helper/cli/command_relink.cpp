// osv-symbols relink: a kit's kernel relinked with an app's version script.
#include <iostream>

#include "atomic_output.hpp"
#include "commands.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "options.hpp"
#include "relink.hpp"

namespace osv {
namespace {

constexpr const char* relink_usage = R"(usage: osv-symbols relink --kit kit.yaml --version-script FILE -o kernel.elf
           [--unstripped FILE] [--linker bfd|lld] [--icf] [--bootfs FILE] [--report FILE.yaml] [--depfile FILE]

Redoes the kernel's final link (nothing is recompiled) with the app's version script, in the
folder of -o, then strips it. --gc-sections drops everything the exports do not reach. Verifies
that the kernel exports exactly the script's names it defines (exit 1 otherwise) and prints one
summary line. The output is replaced atomically, and not at all when its bytes are unchanged.

  --kit FILE             from 'osv-symbols kit capture' (its inputs must be unchanged)
  --version-script FILE  from 'osv-symbols version-script'
  -o, --output FILE      the stripped kernel
  --unstripped FILE      keep the linked, unstripped kernel too (for debugging)
  --linker bfd|lld       the linker (default: as captured); lld drops options it lacks
  --icf                  identical code folding (--icf=all), with --linker lld
  --bootfs FILE          build these files into the kernel (from 'osv-symbols image bootfs'):
                         one self-contained kernel that boots with --rootfs=ramfs and no disk
  --report FILE.yaml     sizes, export counts and link time
  --depfile FILE         Make-syntax dependencies of -o: the kit, the script, every link input
)";

LinkerChoice parse_linker(const std::optional<std::string>& value) {
    if (!value) return LinkerChoice::as_captured;
    if (*value == "bfd") return LinkerChoice::bfd;
    if (*value == "lld") return LinkerChoice::lld;
    throw UsageError("osv-symbols relink: --linker takes bfd or lld, got '" + *value + "'");
}

}  // namespace

int run_relink(const Arguments& args) {
    if (print_help_if_asked(args, relink_usage)) return 0;
    const ParsedOptions options = parse_options(
        "relink", args,
        {{"kit", true, false}, {"version-script", true, false}, {"output", true, false, 'o'},
         {"unstripped", true, false}, {"linker", true, false}, {"icf", false, false}, {"bootfs", true, false}, {"report", true, false},
         {"depfile", true, false}},
        false);
    RelinkRequest request;
    const auto output = options.value("output");
    if (!options.value("kit")) throw UsageError("osv-symbols relink: --kit kit.yaml is required");
    if (!options.value("version-script")) throw UsageError("osv-symbols relink: --version-script FILE is required");
    if (!output || is_stdout(*output)) throw UsageError("osv-symbols relink: -o kernel.elf is required");
    request.kit_file = *options.value("kit");
    request.version_script = *options.value("version-script");
    request.output = *output;
    if (const auto unstripped = options.value("unstripped")) request.unstripped = *unstripped;
    request.linker = parse_linker(options.value("linker"));
    request.icf = options.has("icf");
    if (const auto bootfs = options.value("bootfs")) request.bootfs = *bootfs;

    OutputBatch outputs;
    RelinkResult result = relink_kernel(request, outputs);
    if (const auto report = options.value("report"))
        outputs.add(*report, render_relink_report(result.summary, result.exports));
    if (const auto depfile = options.value("depfile"))
        outputs.add(*depfile, render_depfile(request.output, result.files_read));
    // Never over the files the kit reads or names (its inputs, the generic kernel, base files).
    std::vector<std::filesystem::path> protected_files = result.files_read;
    protected_files.insert(protected_files.end(), result.kit_files.begin(), result.kit_files.end());
    outputs.refuse_overlap(protected_files);
    result.summary.changed = outputs.commit().count(std::filesystem::absolute(request.output)) > 0;
    std::cout << result.summary.one_line(request.output.filename().string()) << "\n";
    return 0;
}

}  // namespace osv
