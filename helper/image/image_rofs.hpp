// OSv's read-only file system (rofs, fs/rofs in OSv), as its kernel mounts it from /dev/vblk0.1
// with --rootfs=rofs. The layout, in 512-byte blocks:
//   block 0       the superblock: magic, version, block size, where the structure blocks start,
//                 how many there are, and the three table lengths
//   blocks 1...   each file's bytes, padded to a whole block
//   the rest      the structure: the folder entries (u64 inode, u16 name length, name), the
//                 symlink targets (u16 length, path), then the inodes (u64 mode, u64 number,
//                 u64 first block / table index, u64 size / child count), padded to a block
// Inode 1 is "/"; a folder's entries are contiguous in the entry table.
#pragma once

#include <cstdint>
#include <string>

#include "image_tree.hpp"

namespace osv {

inline constexpr std::uint64_t rofs_magic = 0xDEADBEAD;
inline constexpr std::uint64_t rofs_version = 1;
inline constexpr std::uint64_t rofs_block_size = 512;

// The file system's bytes (a multiple of 512). InputError for a name or symlink target longer
// than the format's 16-bit lengths, naming the entry.
std::string rofs_image(const GuestTree& tree);

}  // namespace osv
