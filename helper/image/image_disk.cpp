#include "image_disk.hpp"

#include <cstdint>
#include <stdexcept>

#include "error.hpp"
#include "little_endian.hpp"

namespace osv {
namespace {

constexpr std::size_t sector_size = 512;
constexpr std::size_t table_offset = 0x1be;  // four 16-byte entries, then 0x55 0xaa
constexpr std::size_t entry_size = 16;
constexpr std::size_t partition_slot = 1;    // /dev/vblk0.1
constexpr std::uint8_t linux_partition = 0x83;

// The legacy cylinder/head/sector address of a sector, in the geometry BIOSes assume (255
// heads, 63 sectors a track), saturated when the disk is past what CHS can address. Nothing
// OSv does reads it, but partitioning tools do.
void append_chs(std::string& out, std::uint64_t lba) {
    std::uint64_t cylinder = lba / 63 / 255, head = lba / 63 % 255, sector = lba % 63 + 1;
    if (cylinder > 1023) cylinder = 1023, head = 254, sector = 63;
    out += static_cast<char>(head);
    out += static_cast<char>(sector | ((cylinder >> 2) & 0xc0));
    out += static_cast<char>(cylinder & 0xff);
}

}  // namespace

std::string partitioned_disk(const std::string& file_system) {
    if (file_system.size() % sector_size != 0)
        throw std::logic_error("partitioned_disk: the file system is not a whole number of sectors");
    const std::uint64_t first = 1, count = file_system.size() / sector_size;
    if (first + count > UINT32_MAX)
        throw InputError("the image's file system is " + std::to_string(file_system.size()) +
                         " bytes, more than a partition table can address (2 TiB); put fewer files in it");
    std::string entry;
    entry += '\0';  // not bootable: QEMU's -kernel boots OSv, not this disk
    append_chs(entry, first);
    entry += static_cast<char>(linux_partition);
    append_chs(entry, first + count - 1);
    append_le<std::uint32_t>(entry, static_cast<std::uint32_t>(first));
    append_le<std::uint32_t>(entry, static_cast<std::uint32_t>(count));

    std::string disk(sector_size, '\0');
    disk.replace(table_offset + partition_slot * entry_size, entry_size, entry);
    disk[510] = static_cast<char>(0x55);
    disk[511] = static_cast<char>(0xaa);
    return disk + file_system;
}

}  // namespace osv
