#include "image_tree.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "error.hpp"

namespace osv {
namespace {

std::vector<std::string> guest_components(const std::string& guest_path, const std::string& origin) {
    if (!guest_path.starts_with("/"))
        throw InputError(origin + ": guest path '" + guest_path + "' is not absolute; start it with '/'");
    std::vector<std::string> components;
    std::size_t start = 1;
    while (start <= guest_path.size()) {
        const auto end = std::min(guest_path.find('/', start), guest_path.size());
        const std::string component = guest_path.substr(start, end - start);
        start = end + 1;
        if (component.empty()) continue;  // "//" and a trailing "/" mean nothing more
        if (component == "." || component == "..")
            throw InputError(origin + ": guest path '" + guest_path + "' holds '" + component +
                             "'; write the path without it");
        components.push_back(component);
    }
    return components;
}

std::string joined(const std::vector<std::string>& components, std::size_t count) {
    std::string path;
    for (std::size_t i = 0; i < count; ++i) path += "/" + components[i];
    return path.empty() ? "/" : path;
}

void add_entry(GuestNode& root, const ImageEntry& entry, const std::string& origin) {
    const auto components = guest_components(entry.guest_path, origin);
    if (components.empty()) {
        if (entry.kind == ImageEntryKind::folder) return;  // "/" is always there
        throw InputError(origin + ": the guest's root '/' can only be a folder; give the entry a file name");
    }
    GuestNode* folder = &root;
    for (std::size_t i = 0; i + 1 < components.size(); ++i) {
        auto& child = folder->children[components[i]];
        if (!child) child = std::make_unique<GuestNode>();
        if (child->kind != ImageEntryKind::folder)
            throw InputError(origin + ": '" + entry.guest_path + "' would be inside '" + joined(components, i + 1) +
                             "', which " + child->origin + " makes a file or symlink; remove one of the two entries");
        folder = child.get();
    }
    auto& node = folder->children[components.back()];
    if (node && node->kind == ImageEntryKind::folder && entry.kind == ImageEntryKind::folder) {
        node->origin = origin;  // the same folder named twice: keep what is inside
        return;
    }
    if (node && !node->children.empty())
        throw InputError(origin + ": '" + entry.guest_path + "' replaces a folder that other entries fill (" +
                         node->children.begin()->second->origin + "); remove one of the entries");
    node = std::make_unique<GuestNode>();
    node->kind = entry.kind;
    node->origin = origin;
    if (entry.kind == ImageEntryKind::file) node->host_path = entry.host_path;
    if (entry.kind == ImageEntryKind::symlink) node->link_target = entry.link_target;
}

void walk(const GuestNode& folder, const std::string& prefix, std::vector<GuestPath>& out) {
    for (const auto& [name, child] : folder.children) {
        out.push_back({prefix + "/" + name, child.get()});
        if (child->kind == ImageEntryKind::folder) walk(*child, prefix + "/" + name, out);
    }
}

}  // namespace

GuestTree build_guest_tree(const std::vector<std::filesystem::path>& manifests, const ManifestDefines& defines) {
    GuestTree tree;
    for (const auto& manifest : manifests) {
        const ExpandedManifest expanded = read_manifest(manifest, defines);
        tree.files_read.push_back(manifest);
        tree.files_read.insert(tree.files_read.end(), expanded.folders.begin(), expanded.folders.end());
        for (const auto& entry : expanded.image_entries) {
            add_entry(tree.root, entry, manifest.string() + ":" + std::to_string(entry.line));
            if (entry.kind == ImageEntryKind::file) tree.files_read.push_back(entry.host_path);
        }
    }
    return tree;
}

std::vector<GuestPath> guest_paths_in_order(const GuestTree& tree) {
    std::vector<GuestPath> out;
    walk(tree.root, "", out);
    return out;
}

std::string read_guest_file(const GuestNode& file) {
    std::ifstream in(file.host_path, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in || in.bad())
        throw InputError(quoted_path(file.host_path) + ": cannot read (" + file_error_text(errno) + "), named at " +
                         file.origin + "; check the file is readable");
    return std::move(bytes).str();
}

}  // namespace osv
