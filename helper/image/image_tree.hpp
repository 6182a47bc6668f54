// The guest file tree an image holds, merged from manifests: every file, folder and symlink at its
// guest path, parent folders created implicitly, a later entry on the same path replacing an
// earlier one. Children are kept sorted by name (bytes), so every image writer walks the tree in
// one fixed order and the same manifests give the same image, whatever the host's folder order.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "manifest.hpp"

namespace osv {

struct GuestNode {
    ImageEntryKind kind = ImageEntryKind::folder;
    std::filesystem::path host_path;  // file: whose bytes the guest sees
    std::string link_target;          // symlink
    std::string origin;               // "manifest:line" that put it here (empty: an implicit folder)
    std::map<std::string, std::unique_ptr<GuestNode>> children;  // folder: by name
};

struct GuestTree {
    GuestNode root;                                 // the guest's "/"
    std::vector<std::filesystem::path> files_read;  // manifests, host files, walked folders (a depfile's list)
};

// Reads the manifests in order. InputError for guest paths that are not absolute, hold "." or
// "..", or put something inside what another entry makes a file or symlink.
GuestTree build_guest_tree(const std::vector<std::filesystem::path>& manifests, const ManifestDefines& defines);

// One node with its full guest path ("/usr/lib"), as the preorder walk meets it.
struct GuestPath {
    std::string path;
    const GuestNode* node;
};

// Every node but the root, parents before children, siblings by name.
std::vector<GuestPath> guest_paths_in_order(const GuestTree& tree);

// A host file's bytes. InputError naming the file and where the manifest asked for it.
std::string read_guest_file(const GuestNode& file);

}  // namespace osv
