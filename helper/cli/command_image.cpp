// osv-symbols image rofs|bootfs: the guest files of an app, from its manifests, as a disk OSv
// mounts (rofs) or as the archive a kernel carries built in (bootfs).
#include <iostream>

#include "app_request.hpp"
#include "atomic_output.hpp"
#include "commands.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "image_bootfs.hpp"
#include "image_disk.hpp"
#include "image_rofs.hpp"
#include "image_tree.hpp"
#include "kit.hpp"

namespace osv {
namespace {

constexpr const char* image_usage = R"(usage: osv-symbols image rofs   [--kit KIT] --manifest FILE... [--define VAR=VALUE]... [--depfile FILE] -o app.img
       osv-symbols image bootfs [--kit KIT] --manifest FILE... [--define VAR=VALUE]... [--depfile FILE] -o bootfs.bin

Packs every file, folder and symlink the manifests name into the guest's file tree (parent
folders implied, a later manifest winning on the same guest path, entries sorted, no host
timestamps: the same inputs give the same bytes).

  rofs     a raw disk for 'qemu -kernel kernel.elf -append "--rootfs=rofs ..."': an MBR
           partition table whose partition /dev/vblk0.1 (the table's second slot) holds an OSv
           rofs file system; no boot loader, no kernel
  bootfs   OSv's built-in file archive (scripts/mkbootfs.py's format), to assemble into the
           kernel's bootfs.o with '.incbin' for "--rootfs=ramfs"; guest paths up to 110 bytes

  --kit FILE           a kit or kit bundle whose base files (OSv's libenviron.so, /etc/hosts,
                       /dev...) come first, before the manifests
  --manifest FILE      an OSv usr.manifest (repeatable, read in order)
  --define VAR=VALUE   value for ${VAR} / %(VAR)s in manifests (repeatable)
  --depfile FILE       Make-syntax dependencies of the output: manifests, host files, folders
  -o, --output FILE    the image (required)
)";

}  // namespace

int run_image(const Arguments& args) {
    if (print_help_if_asked(args, image_usage)) return 0;
    if (args.empty() || (args[0] != "rofs" && args[0] != "bootfs"))
        throw UsageError("osv-symbols image: expected 'image rofs' or 'image bootfs'");
    const std::string format = args[0];
    const std::string command = "image " + format;
    auto specs = input_option_specs();
    specs.insert(specs.end(), {{"depfile", true, false}, {"output", true, false, 'o'}, {"kit", true, false}});
    const ParsedOptions options = parse_options(command, Arguments(args.begin() + 1, args.end()), specs, false);
    const AppRequest request = app_request_from(options, command);
    if (request.manifests.empty()) throw UsageError("osv-symbols " + command + ": --manifest FILE is required");
    const auto output = options.value("output");
    if (!output || is_stdout(*output))
        throw UsageError("osv-symbols " + command + ": -o FILE is required (the image is binary)");

    std::vector<std::filesystem::path> manifests = request.manifests;
    if (const auto kit_file = options.value("kit")) {
        const Kit kit = read_kit(*kit_file);
        if (kit.base_files.empty())
            std::cerr << "osv-symbols: note: " << *kit_file << " names no base files (kit capture --base-manifest); "
                      << "the image holds only the app's manifests\n";
        else
            manifests.insert(manifests.begin(), kit.base_files);
    }
    GuestTree tree = build_guest_tree(manifests, request.defines);
    if (const auto kit_file = options.value("kit")) tree.files_read.emplace_back(*kit_file);
    OutputBatch outputs;
    std::string image = format == "rofs" ? partitioned_disk(rofs_image(tree)) : bootfs_archive(tree);
    const std::size_t bytes = image.size();
    outputs.add(*output, std::move(image));
    if (const auto depfile = options.value("depfile")) outputs.add(*depfile, render_depfile(*output, tree.files_read));
    outputs.refuse_overlap(tree.files_read);
    const bool changed = !outputs.commit().empty();
    std::size_t files = 0;
    for (const auto& entry : guest_paths_in_order(tree)) files += entry.node->kind == ImageEntryKind::file;
    std::cout << std::filesystem::path(*output).filename().string() << ": " << format << " image, " << bytes
              << " bytes, " << files << " files" << (changed ? "" : ", unchanged") << "\n";
    return 0;
}

}  // namespace osv
