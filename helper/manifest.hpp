// OSv's usr.manifest format, as its scripts/manifest_common.py reads it: the host files an app
// image is made of. Only what the analysis needs: which host files end up in the guest.
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
};

struct ExpandedManifest {
    std::vector<ManifestFile> files;            // regular files, in manifest order, recursive copies sorted
    std::vector<std::filesystem::path> folders; // folders walked for "/**" entries (for dependency tracking)
};

// Reads and expands one manifest. Handles an optional "[manifest]" header, '#' comments,
// "guest: host" lines, "->target" symlinks (skipped), "!host" (no symlink resolution), "/dir/**: host/**"
// recursive copies, "/&/" path substitution, and ${VAR} / %(VAR)s from `defines`. Relative host
// paths are relative to the manifest's folder. Errors carry file:line:column.
ExpandedManifest read_manifest(const std::filesystem::path& manifest, const ManifestDefines& defines);

}  // namespace osv
