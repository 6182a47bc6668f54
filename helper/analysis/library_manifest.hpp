// The OSv manifest of an app's shared libraries (what `osv-symbols closure` writes), meant to be
// passed beside the app's own manifest to the other commands and to OSv's image scripts.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "library_closure.hpp"

namespace osv {

struct LibraryManifestEntry {
    std::string guest_path;           // guest_dir/<needed name>, or the name itself when it is an absolute path
    std::filesystem::path host_path;  // absolute
    bool operator==(const LibraryManifestEntry&) const = default;
};

// One entry per library found (or taken from the app's own files), sorted by guest path, without
// the guest paths the app's manifests already fill.
std::vector<LibraryManifestEntry> library_manifest_entries(const LibraryClosure& closure,
                                                           const std::filesystem::path& guest_dir,
                                                           const std::vector<std::string>& present_guest_paths);

std::string render_library_manifest(const std::vector<LibraryManifestEntry>& entries);

}  // namespace osv
