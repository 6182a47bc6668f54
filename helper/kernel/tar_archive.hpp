// Reading and writing the tar.xz archives that carry kit bundles, with libarchive. Writing is
// deterministic (sorted members, fixed owner, time and modes), so the same content gives the same
// bytes; reading takes regular files and folders only and never writes outside its folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

struct ArchiveMember {
    std::string name;              // relative, '/'-separated; folders end without '/'
    std::filesystem::path source;  // the file to store; empty for a folder
};

// Writes `members` (any order) as a tar.xz to `output`. Throws InputError naming the file at fault.
void write_tar_xz(std::vector<ArchiveMember> members, const std::filesystem::path& output);

// Unpacks `archive` into the existing, empty folder `into`. Throws InputError naming the archive
// (and member) for damaged or truncated archives and for members that are links, devices, absolute
// paths or paths with "..".
void extract_tar_safely(const std::filesystem::path& archive, const std::filesystem::path& into);

}  // namespace osv
