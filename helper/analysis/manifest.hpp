// OSv's usr.manifest format, as its scripts/manifest_common.py reads it: the host files an app
// image is made of. The analysis needs only which host files end up in the guest (`files`); the
// image writers need every entry, folders and symlinks too (`image_entries`).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace osv {

using ManifestDefines = std::map<std::string, std::string>;

struct ManifestFile {
    std::string guest_path;             // where the file lands in the image
    std::filesystem::path host_path;    // the file to analyse
    std::string real_path;              // for files of a "/**" walk: host_path without links, "." or ".." (what
                                        // canonical() would say, known without asking it); empty otherwise
};

enum class ImageEntryKind { file, folder, symlink };

// One thing the manifest puts into the guest: a host file's bytes, an (empty) folder, or a symlink.
struct ImageEntry {
    std::string guest_path;
    ImageEntryKind kind = ImageEntryKind::file;
    std::filesystem::path host_path;  // file: whose bytes; folder: the host folder named (if any)
    std::string link_target;          // symlink: where it points, as the guest sees it
    std::size_t line = 0;             // manifest line, for messages
};

struct ExpandedManifest {
    std::vector<ManifestFile> files;            // regular files, in manifest order, recursive copies sorted
    std::vector<std::filesystem::path> folders; // folders walked for "/**" entries (for dependency tracking)
    // Everything for an image, in manifest order: the files above (except "!host" symlinks, which
    // stay symlinks), "guest: host-folder" folders and "guest: ->target" symlinks.
    std::vector<ImageEntry> image_entries;
};

// Reads and expands one manifest. Handles an optional "[manifest]" header, '#' comments,
// "guest: host" lines, "->target" symlinks (image entries only), "!host" (no symlink resolution), "/dir/**: host/**"
// recursive copies, "/&/" path substitution, and ${VAR} / %(VAR)s from `defines`. Relative host
// paths are relative to the manifest's folder. Errors carry file:line:column.
ExpandedManifest read_manifest(const std::filesystem::path& manifest, const ManifestDefines& defines);

}  // namespace osv
