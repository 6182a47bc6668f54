// osv-symbols kit capture: record how a built OSv tree links its kernel.
#include <iostream>

#include "atomic_output.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "kit_capture.hpp"
#include "options.hpp"

namespace osv {
namespace {

constexpr const char* usage = R"(usage: osv-symbols kit capture --osv-root DIR [--build-dir DIR] [--make-arg ARG]... -o kit.yaml

Records how a built OSv tree links its kernel, as a kit for 'osv-symbols relink': the exact
loader.elf link line from OSv's own Makefile (a dry run: make -n V=1 conf_hide_symbols=1
-W <build>/version_script <build>/loader.elf), the strip step, every file the link reads with its
size and fingerprint, the architecture, and the export universe of the generic loader.elf.

  --osv-root DIR     the OSv checkout, built with conf_hide_symbols=1
  --build-dir DIR    its build folder (default build/release.x64, relative to --osv-root)
  --make-arg ARG     an option the tree was built with, e.g. fs=rofs (repeatable)
  -o, --output FILE  the kit (required)
)";

}  // namespace

int run_kit(const Arguments& args) {
    if (args.empty() || (args[0] != "capture" && args[0] != "--help" && args[0] != "-h"))
        throw UsageError("osv-symbols kit: expected 'kit capture'");
    if (print_help_if_asked(args, usage)) return 0;
    const ParsedOptions options = parse_options(
        "kit capture", Arguments(args.begin() + 1, args.end()),
        {{"osv-root", true, false}, {"build-dir", true, false}, {"make-arg", true, true}, {"output", true, false, 'o'}},
        false);
    const auto output = options.value("output");
    if (!options.value("osv-root")) throw UsageError("osv-symbols kit capture: --osv-root DIR is required");
    if (!output || is_stdout(*output)) throw UsageError("osv-symbols kit capture: -o kit.yaml is required");
    CaptureRequest request;
    request.osv_root = *options.value("osv-root");
    if (const auto build = options.value("build-dir")) request.build_dir = *build;
    request.make_args = options.values("make-arg");
    request.scratch_beside = std::filesystem::absolute(*output);
    const Kit kit = capture_kit(request);
    write_if_changed(*output, render_kit(kit));
    std::cout << "kit: " << *output << ": " << kit.inputs.size() << " link inputs, " << kit.exports.size()
              << " exports, " << kit.arch.describe() << ", base kernel " << kit.base_stripped_size << " bytes stripped\n";
    return 0;
}

}  // namespace osv
