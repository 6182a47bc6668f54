#include "image_rofs.hpp"

#include <limits>

#include "error.hpp"
#include "little_endian.hpp"

namespace osv {
namespace {

// The mode bits OSv's rofs checks with S_ISDIR / S_ISREG / S_ISLNK.
constexpr std::uint64_t mode_folder = 0040000;
constexpr std::uint64_t mode_file = 0100000;
constexpr std::uint64_t mode_symlink = 0120000;

constexpr std::size_t max_length = std::numeric_limits<std::uint16_t>::max();

struct Inode {
    std::uint64_t mode = 0, data = 0, count = 0;
};

void pad_to_block(std::string& bytes) {
    bytes.append((rofs_block_size - bytes.size() % rofs_block_size) % rofs_block_size, '\0');
}

class RofsWriter {
public:
    std::string write(const GuestNode& root) {
        image_.assign(rofs_block_size, '\0');  // the superblock, filled in last
        inodes_.resize(1);
        fill_folder(root, 1, "");
        const std::uint64_t structure_first_block = image_.size() / rofs_block_size;
        std::string structure = entries_ + symlinks_;
        for (std::size_t i = 0; i < inodes_.size(); ++i) {
            append_le<std::uint64_t>(structure, inodes_[i].mode);
            append_le<std::uint64_t>(structure, i + 1);
            append_le<std::uint64_t>(structure, inodes_[i].data);
            append_le<std::uint64_t>(structure, inodes_[i].count);
        }
        pad_to_block(structure);
        image_ += structure;

        std::string superblock;
        for (std::uint64_t field : {rofs_magic, rofs_version, rofs_block_size, structure_first_block,
                                    std::uint64_t(structure.size() / rofs_block_size), entry_count_, symlink_count_,
                                    std::uint64_t(inodes_.size())})
            append_le(superblock, field);
        image_.replace(0, superblock.size(), superblock);
        return std::move(image_);
    }

private:
    // A folder's children get consecutive inode numbers and consecutive entries, then each child
    // is filled in (folders recursively).
    void fill_folder(const GuestNode& folder, std::uint64_t inode_number, const std::string& path) {
        inodes_[inode_number - 1] = {mode_folder, entry_count_, folder.children.size()};
        const std::uint64_t first_child = inodes_.size() + 1;
        inodes_.resize(inodes_.size() + folder.children.size());
        std::uint64_t child_number = first_child;
        for (const auto& [name, child] : folder.children) {
            if (name.size() > max_length)
                throw InputError(child->origin + ": the name of '" + path + "/" + name.substr(0, 40) + "...' is " +
                                 std::to_string(name.size()) + " bytes, rofs holds at most 65535; shorten it");
            append_le<std::uint64_t>(entries_, child_number++);
            append_le<std::uint16_t>(entries_, static_cast<std::uint16_t>(name.size()));
            entries_ += name;
            ++entry_count_;
        }
        child_number = first_child;
        for (const auto& [name, child] : folder.children) {
            const std::string child_path = path + "/" + name;
            switch (child->kind) {
            case ImageEntryKind::folder: fill_folder(*child, child_number, child_path); break;
            case ImageEntryKind::file: fill_file(*child, child_number); break;
            case ImageEntryKind::symlink: fill_symlink(*child, child_number, child_path); break;
            }
            ++child_number;
        }
    }

    void fill_file(const GuestNode& file, std::uint64_t inode_number) {
        const std::string bytes = read_guest_file(file);
        inodes_[inode_number - 1] = {mode_file, image_.size() / rofs_block_size, bytes.size()};
        image_ += bytes;
        pad_to_block(image_);
    }

    void fill_symlink(const GuestNode& link, std::uint64_t inode_number, const std::string& path) {
        if (link.link_target.size() > max_length)
            throw InputError(link.origin + ": the target of symlink '" + path + "' is " +
                             std::to_string(link.link_target.size()) + " bytes, rofs holds at most 65535; shorten it");
        inodes_[inode_number - 1] = {mode_symlink, symlink_count_++, 1};
        append_le<std::uint16_t>(symlinks_, static_cast<std::uint16_t>(link.link_target.size()));
        symlinks_ += link.link_target;
    }

    std::string image_, entries_, symlinks_;
    std::vector<Inode> inodes_;
    std::uint64_t entry_count_ = 0, symlink_count_ = 0;
};

}  // namespace

std::string rofs_image(const GuestTree& tree) { return RofsWriter().write(tree.root); }

}  // namespace osv
