// The kernel's built-in files as an object: OSv links a bootfs.o whose .data holds the bootfs
// archive at the hidden symbol bootfs_start (its bootfs.S .incbin's bootfs.bin). Relinking with an
// app's own bootfs.o gives one self-contained kernel that boots the app with --rootfs=ramfs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

// Assembles `archive` (from `osv-symbols image bootfs`) into the object `object` with the
// assembler `as`. Throws InputError when it fails.
void assemble_bootfs_object(const std::filesystem::path& archive, const std::filesystem::path& object);

// The link argv with its bootfs.o argument replaced by `object`. Throws InputError naming `kit`
// when the link has no bootfs.o.
std::vector<std::string> with_bootfs_object(std::vector<std::string> argv, const std::filesystem::path& object,
                                            const std::filesystem::path& kit);

}  // namespace osv
