// The archive OSv's kernel carries its built-in files in (bootfs.bin, `.incbin`ed as
// bootfs_start by bootfs.S; OSv writes it with scripts/mkbootfs.py and unpacks it into ramfs
// at boot, unpack_bootfs() in fs/vfs/main.cc). The layout:
//   one 128-byte record per entry: u64 size, u64 offset of the bytes from the archive's start,
//     u8 type (0 file or folder, 1 symlink), the guest path NUL-padded to 111 bytes;
//     a folder is a path ending in '/' with size 0; a symlink's bytes are its target and a NUL
//   a 128-byte record of zeros (the end: an empty name)
//   every file's and symlink's bytes, in record order, unpadded
#pragma once

#include <cstddef>
#include <string>

#include "image_tree.hpp"

namespace osv {

inline constexpr std::size_t bootfs_record_size = 128;
inline constexpr std::size_t bootfs_max_path = 110;  // 111 bytes with the NUL

// InputError for a path (with the '/' a folder gets) longer than bootfs_max_path, naming it.
std::string bootfs_archive(const GuestTree& tree);

}  // namespace osv
