// Kit bundles: one relocatable tar.xz holding everything a relink needs — the kit with relative
// paths, every link input (debug-stripped unless asked otherwise), the generic stripped kernel —
// so a kernel built once can be specialized on machines with no OSv tree.
//
// Layout: kit.yaml, link/<the link's inputs, under the link folder's relative paths>,
// link/host/<absolute path> for inputs outside it (the host toolchain's archives), kernel/loader-stripped.elf.
#pragma once

#include <filesystem>

namespace osv {

struct BundleRequest {
    std::filesystem::path kit_file;
    std::filesystem::path output;
    bool keep_debug = false;
};

struct BundleSummary {
    std::size_t inputs = 0;
    std::uintmax_t unpacked_bytes = 0;
    std::uintmax_t bundle_bytes = 0;
    bool changed = false;
};

BundleSummary write_kit_bundle(const BundleRequest& request);

// True when the file is an xz stream (what bundles are); kits are YAML text.
bool is_kit_bundle(const std::filesystem::path& path);

// The kit.yaml of the bundle, unpacked once into the user cache (a folder named by the bundle's
// content, shared safely by concurrent builds). Throws InputError for damaged bundles.
std::filesystem::path unpacked_bundle_kit(const std::filesystem::path& bundle);

}  // namespace osv
