// A raw disk around one file system: sector 0 holds an MBR partition table (no boot code: the
// kernel comes from QEMU's -kernel) whose one partition starts at sector 1 and holds the file
// system. OSv names partitions by their slot in the table, counting from 0, and mounts its root
// from /dev/vblk0.1, so the partition goes in the table's second slot (OSv's own build does the
// same with `imgedit.py setpartition ... 2`).
#pragma once

#include <string>

namespace osv {

// `file_system` must be a whole number of 512-byte sectors. InputError when it is too big for
// the table's 32-bit sector counts (2 TiB).
std::string partitioned_disk(const std::string& file_system);

}  // namespace osv
