// Small, independent readers of the image formats, written from the format descriptions (OSv's
// fs/rofs and unpack_bootfs()) and not from the writers: a test that writes with the helper and
// reads back with these checks the bytes, not the writer against itself.
#pragma once

#include <map>
#include <string>

namespace osv::test {

// What a guest sees at one path: "dir", "file" with its bytes, or "link" with its target.
struct GuestItem {
    std::string kind;
    std::string content;  // file bytes or symlink target
    bool operator==(const GuestItem&) const = default;
};
using GuestListing = std::map<std::string, GuestItem>;  // by full guest path, "/" excluded

// A raw disk: checks the MBR (0x55aa, only the second slot used, partition right after it),
// then walks the rofs in that partition from inode 1. Fails a doctest check on anything odd.
GuestListing read_rofs_disk(const std::string& disk);

// A bootfs archive: every record up to the empty one.
GuestListing read_bootfs(const std::string& archive);

}  // namespace osv::test
