#include "kit_bundle.hpp"

#include <string_view>

#include "atomic_output.hpp"
#include "content_hash.hpp"
#include "debug_strip.hpp"
#include "error.hpp"
#include "file_head.hpp"
#include "image_tree.hpp"
#include "kit.hpp"
#include "libarchive_loader.hpp"
#include "process.hpp"
#include "tar_archive.hpp"
#include "user_cache.hpp"

namespace osv {
namespace {

constexpr const char* bundle_kernel = "kernel/loader-stripped.elf";
constexpr const char* bundle_base_manifest = "base/usr.manifest";

// Where an input lives inside the bundle's link/ folder: its path relative to the link folder, or
// host/<absolute path> when it lies outside (the file name is kept: --exclude-libs matches it).
std::string bundled_link_path(const std::filesystem::path& input, const std::filesystem::path& cwd) {
    const auto relative = input.lexically_relative(cwd);
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
    return "host" + input.generic_string();
}

// A folder removed when the bundling ends, however it ends.
struct StagingFolder {
    std::filesystem::path path;
    ~StagingFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// Copies every entry of the base files manifest under staging/base/files/ and writes the manifest
// that names them, relative to itself.
void add_base_files(const std::filesystem::path& manifest, const std::filesystem::path& staging,
                    std::vector<ArchiveMember>& members) {
    const GuestTree tree = build_guest_tree({manifest}, {});
    std::string text = "# OSv's files every app image needs, packed by osv-symbols kit bundle.\n[manifest]\n";
    std::error_code ec;
    for (const auto& [path, node] : guest_paths_in_order(tree)) {
        const std::string name = "base/files" + path;
        switch (node->kind) {
            case ImageEntryKind::file:
                std::filesystem::create_directories((staging / name).parent_path(), ec);
                std::filesystem::copy_file(node->host_path, staging / name, ec);
                if (ec) throw InputError(quoted_path(node->host_path) + ": cannot copy into the bundle: " + ec.message());
                members.push_back({name, staging / name});
                text += path + ": files" + path + "\n";
                break;
            case ImageEntryKind::folder:
                std::filesystem::create_directories(staging / name, ec);
                members.push_back({name, {}});
                // Only empty folders need a line: the others come with what is inside.
                if (node->children.empty()) text += path + ": files" + path + "\n";
                break;
            case ImageEntryKind::symlink:
                text += path + ": ->" + node->link_target + "\n";
                break;
        }
    }
    write_if_changed(staging / bundle_base_manifest, text);
    members.push_back({bundle_base_manifest, staging / bundle_base_manifest});
}

}  // namespace

bool is_kit_bundle(const std::filesystem::path& path) {
    using namespace std::string_view_literals;
    return read_file_head(path, 6) == "\xFD" "7zXZ\0"sv;
}

BundleSummary write_kit_bundle(const BundleRequest& request) {
    libarchive();  // loaded first: a missing libarchive fails before the inputs are copied and stripped
    Kit kit = read_kit(request.kit_file);
    verify_kit_inputs(kit, request.kit_file);
    const auto output = std::filesystem::absolute(request.output);
    StagingFolder scratch{output.parent_path() / ("." + output.filename().string() + ".staging." + std::to_string(::getpid()))};
    std::error_code ec;
    std::filesystem::remove_all(scratch.path, ec);
    std::filesystem::create_directories(scratch.path / "link", ec);
    std::filesystem::create_directories(scratch.path / "kernel", ec);
    if (ec) throw InputError(quoted_path(scratch.path) + ": cannot create: " + ec.message() + "; check the folder of -o is writable");

    // The link inputs, copied under their bundle names; objects and archives lose their debug info.
    std::map<std::filesystem::path, std::filesystem::path> moved;  // original -> bundle-relative
    std::vector<std::filesystem::path> to_strip;
    std::vector<ArchiveMember> members;
    BundleSummary summary;
    for (const auto& input : kit.inputs) {
        const std::string name = "link/" + bundled_link_path(input.path, kit.link_cwd);
        const auto copy = scratch.path / name;
        std::filesystem::create_directories(copy.parent_path(), ec);
        std::filesystem::copy_file(input.path, copy, ec);
        if (ec) throw InputError(quoted_path(input.path) + ": cannot copy into the bundle: " + ec.message());
        if (!request.keep_debug && is_object_or_archive(copy)) to_strip.push_back(copy);
        moved[input.path] = std::filesystem::path(name).lexically_relative("link");
        members.push_back({name, copy});
    }
    strip_debug_in_place(to_strip);

    // The generic kernel, stripped as the kit strips relinked ones.
    const auto kernel = scratch.path / bundle_kernel;
    const ProcessResult stripped = run_process(strip_command(kit.strip_argv, kit.base_kernel, kernel), kit.link_cwd, false);
    if (stripped.exit_status != 0)
        throw InputError(quoted_path(kit.base_kernel) + ": stripping the generic kernel failed (exit " +
                         std::to_string(stripped.exit_status) + ")");
    members.push_back({bundle_kernel, kernel});

    // OSv's base files, as base/usr.manifest over base/files/.
    if (!kit.base_files.empty()) add_base_files(kit.base_files, scratch.path, members);

    // The kit, relative to the bundle: link/ is the link's folder.
    Kit bundled = kit;
    bundled.link_cwd = "link";
    bundled.base_kernel = bundle_kernel;
    if (!kit.base_files.empty()) bundled.base_files = bundle_base_manifest;
    bundled.link_argv = with_replaced_inputs(kit.link_argv, kit.link_cwd, moved);
    bundled.debug_stripped = kit.debug_stripped || !request.keep_debug;
    bundled.inputs.clear();
    for (const auto& input : kit.inputs) {
        const auto copy = scratch.path / "link" / moved[input.path];
        bundled.inputs.push_back({std::filesystem::path("link") / moved[input.path], std::filesystem::file_size(copy),
                                  file_fingerprint(copy)});
        summary.unpacked_bytes += bundled.inputs.back().size;
    }
    summary.unpacked_bytes += std::filesystem::file_size(kernel);
    const auto kit_copy = scratch.path / "kit.yaml";
    write_if_changed(kit_copy, render_kit(bundled));
    members.push_back({"kit.yaml", kit_copy});

    TemporaryFile archive(output);
    write_tar_xz(members, archive.path());
    summary.inputs = kit.inputs.size();
    summary.bundle_bytes = std::filesystem::file_size(archive.path());
    OutputBatch outputs;
    outputs.add_file(output, std::move(archive));
    std::vector<std::filesystem::path> read = {request.kit_file, kit.base_kernel};
    for (const auto& input : kit.inputs) read.push_back(input.path);
    outputs.refuse_overlap(read);
    summary.changed = !outputs.commit().empty();
    return summary;
}

std::filesystem::path unpacked_bundle_kit(const std::filesystem::path& bundle) {
    // Named by content: a changed bundle unpacks anew, an unchanged one is reused.
    const std::string key = file_fingerprint(bundle) + "-" + std::to_string(std::filesystem::file_size(bundle));
    const auto folder = cached_folder(user_cache_root() / "bundles", key, [&](const std::filesystem::path& staging) {
        extract_tar_safely(bundle, staging);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(staging / "kit.yaml", ec))
            throw InputError(quoted_path(bundle) + ": holds no kit.yaml; it is not a kit bundle: make one with 'osv-symbols kit bundle'");
    });
    return folder / "kit.yaml";
}

}  // namespace osv
