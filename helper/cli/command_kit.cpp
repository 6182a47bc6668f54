// osv-symbols kit capture: record how a built OSv tree links its kernel.
#include <iostream>

#include "atomic_output.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "kit_bundle.hpp"
#include "kit_capture.hpp"
#include "options.hpp"

namespace osv {
namespace {

constexpr const char* kit_usage = R"(usage: osv-symbols kit capture --osv-root DIR [--build-dir DIR] [--make-arg ARG]... -o kit.yaml
       osv-symbols kit capture --link-command FILE --cwd DIR --base-kernel FILE -o kit.yaml

Records how a built OSv tree links its kernel, as a kit for 'osv-symbols relink': the exact
loader.elf link line from OSv's own Makefile (a dry run: make -n V=1 conf_hide_symbols=1
-W <build>/version_script <build>/loader.elf), the strip step, every file the link reads with its
size and fingerprint, the architecture, and the export universe of the generic loader.elf.

  --osv-root DIR       the OSv checkout, built with conf_hide_symbols=1
  --build-dir DIR      its build folder (default build/release.x64, relative to --osv-root)
  --make-arg ARG       an option the tree was built with, e.g. fs=rofs (repeatable)
  --base-manifest FILE OSv's files every app image needs (libenviron.so, libgcc_s.so.1,
                       /etc/hosts, /etc/fstab, /dev, /proc, /sys, /tmp), as an OSv manifest;
                       'image --kit' adds them to app images, 'kit bundle' packs them
  -o, --output FILE    the kit (required)

A kernel whose link is known but that has no OSv make to ask is captured from the saved command:
  --link-command FILE  the link's argv, one argument a line, with {output} and {version_script}
  --cwd DIR            the folder the link runs in (relative paths of the command start there)
  --base-kernel FILE   the generic kernel that command made (its exports and stripped size)
)";

constexpr const char* bundle_usage = R"(usage: osv-symbols kit bundle --kit kit.yaml [--keep-debug] -o osv-kit.tar.xz

Packs a kit into one relocatable file for machines with no OSv tree: the kit with relative paths,
every input of the link (objects and archives stripped of debug info unless --keep-debug), and the
generic stripped kernel, and the kit's base files (base/usr.manifest). Every command that takes --kit takes the bundle too: it is unpacked once
into the user cache ($OSV_SPECIALIZE_CACHE, else $XDG_CACHE_HOME/osv-specialize, else
~/.cache/osv-specialize), in a folder named by its content. The same kit gives the same bytes.

  --kit FILE         the kit to pack (its inputs must be unchanged since capture)
  --keep-debug       keep the inputs' debug info (for kernels that are debugged)
  -o, --output FILE  the bundle (tar.xz)
)";

int run_kit_bundle(const Arguments& args) {
    if (print_help_if_asked(args, bundle_usage)) return 0;
    const ParsedOptions options = parse_options(
        "kit bundle", args, {{"kit", true, false}, {"keep-debug", false, false}, {"output", true, false, 'o'}}, false);
    const auto output = options.value("output");
    if (!options.value("kit")) throw UsageError("osv-symbols kit bundle: --kit kit.yaml is required");
    if (!output || is_stdout(*output)) throw UsageError("osv-symbols kit bundle: -o osv-kit.tar.xz is required");
    const BundleSummary summary = write_kit_bundle({*options.value("kit"), *output, options.has("keep-debug")});
    std::cout << "bundle: " << *output << ": " << summary.inputs << " link inputs, " << summary.bundle_bytes
              << " bytes (" << summary.unpacked_bytes << " unpacked)" << (summary.changed ? "" : ", unchanged") << "\n";
    return 0;
}

}  // namespace

int run_kit(const Arguments& args) {
    if (!args.empty() && args[0] == "bundle") return run_kit_bundle(Arguments(args.begin() + 1, args.end()));
    if (args.empty() || (args[0] != "capture" && args[0] != "--help" && args[0] != "-h"))
        throw UsageError("osv-symbols kit: expected 'kit capture' or 'kit bundle'");
    if (print_help_if_asked(args, kit_usage)) return 0;
    const ParsedOptions options = parse_options(
        "kit capture", Arguments(args.begin() + 1, args.end()),
        {{"osv-root", true, false}, {"build-dir", true, false}, {"make-arg", true, true}, {"output", true, false, 'o'},
         {"link-command", true, false}, {"cwd", true, false}, {"base-kernel", true, false},
         {"base-manifest", true, false}},
        false);
    const auto output = options.value("output");
    if (!output || is_stdout(*output)) throw UsageError("osv-symbols kit capture: -o kit.yaml is required");
    const bool from_tree = options.has("osv-root") || options.has("build-dir") || options.has("make-arg");
    const bool from_command = options.has("link-command") || options.has("cwd") || options.has("base-kernel");
    if (from_tree == from_command)
        throw UsageError("osv-symbols kit capture: give either --osv-root DIR, or --link-command FILE with --cwd DIR "
                         "and --base-kernel FILE");
    Kit kit;
    if (from_tree) {
        if (!options.value("osv-root")) throw UsageError("osv-symbols kit capture: --osv-root DIR is required");
        CaptureRequest request;
        request.osv_root = *options.value("osv-root");
        if (const auto build = options.value("build-dir")) request.build_dir = *build;
        request.make_args = options.values("make-arg");
        request.scratch_beside = std::filesystem::absolute(*output);
        request.base_files = options.value("base-manifest").value_or("");
        kit = capture_kit(request);
    } else {
        for (const char* required : {"link-command", "cwd", "base-kernel"})
            if (!options.value(required))
                throw UsageError(std::string("osv-symbols kit capture: --link-command, --cwd and --base-kernel go "
                                             "together; --") + required + " is missing");
        kit = capture_kit_from_link_command({*options.value("link-command"), *options.value("cwd"),
                                             *options.value("base-kernel"), std::filesystem::absolute(*output),
                                             options.value("base-manifest").value_or("")});
    }
    // The kit must never land on a file the capture read (a link input, the generic kernel, the
    // saved command, OSv's Makefile or version script): that would destroy the kernel's tree.
    std::vector<std::filesystem::path> read = {kit.base_kernel};
    for (const auto& input : kit.inputs) read.push_back(input.path);
    if (!kit.base_files.empty()) read.push_back(kit.base_files);
    if (const auto command = options.value("link-command")) read.push_back(*command);
    if (const auto root = options.value("osv-root")) {
        read.push_back(std::filesystem::path(*root) / "Makefile");
        read.push_back(kit.base_kernel.parent_path() / "version_script");
    }
    OutputBatch outputs;
    outputs.add(*output, render_kit(kit));
    outputs.refuse_overlap(read);
    outputs.commit();
    std::cout << "kit: " << *output << ": " << kit.inputs.size() << " link inputs, " << kit.exports.size()
              << " exports, " << kit.arch.describe() << ", base kernel " << kit.base_stripped_size << " bytes stripped\n";
    return 0;
}

}  // namespace osv
