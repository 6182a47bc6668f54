#include "image_bootfs.hpp"

#include <cstdint>

#include "error.hpp"
#include "little_endian.hpp"

namespace osv {
namespace {

constexpr std::uint8_t type_other = 0;
constexpr std::uint8_t type_symlink = 1;

}  // namespace

std::string bootfs_archive(const GuestTree& tree) {
    const auto paths = guest_paths_in_order(tree);
    std::string records, data;
    const std::size_t data_start = (paths.size() + 1) * bootfs_record_size;
    for (const auto& [path, node] : paths) {
        std::string name = path;
        std::string bytes;
        std::uint8_t type = type_other;
        switch (node->kind) {
        case ImageEntryKind::folder: name += "/"; break;
        case ImageEntryKind::file: bytes = read_guest_file(*node); break;
        case ImageEntryKind::symlink:
            type = type_symlink;
            bytes = node->link_target + '\0';
            break;
        }
        if (name.size() > bootfs_max_path)
            throw InputError(node->origin + ": guest path '" + name + "' is " + std::to_string(name.size()) +
                             " bytes, bootfs holds at most " + std::to_string(bootfs_max_path) +
                             "; shorten it or put the file in a rofs image");
        append_le<std::uint64_t>(records, bytes.size());
        append_le<std::uint64_t>(records, data_start + data.size());
        records += static_cast<char>(type);
        name.resize(bootfs_record_size - 17, '\0');
        records += name;
        data += bytes;
    }
    records.append(bootfs_record_size, '\0');
    return records + data;
}

}  // namespace osv
