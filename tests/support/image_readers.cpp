#include "image_readers.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace osv::test {
namespace {

std::uint64_t le(const std::string& bytes, std::size_t offset, std::size_t width) {
    if (offset + width > bytes.size()) throw std::runtime_error("read past the end at " + std::to_string(offset));
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
    return value;
}

struct Rofs {
    std::string fs;
    std::uint64_t block_size = 0, first = 0, entries = 0, links = 0, inodes = 0;
    std::vector<std::pair<std::uint64_t, std::string>> entry_table;
    std::vector<std::string> link_table;
    std::size_t inode_table = 0;

    std::uint64_t inode_field(std::uint64_t number, int field) const {
        REQUIRE(number >= 1);
        REQUIRE(number <= inodes);
        return le(fs, inode_table + (number - 1) * 32 + field * 8, 8);
    }

    void walk(std::uint64_t number, const std::string& path, GuestListing& out) const {
        CHECK(inode_field(number, 1) == number);
        const auto mode = inode_field(number, 0) & 0170000;
        const auto data = inode_field(number, 2), count = inode_field(number, 3);
        if (mode == 0040000) {
            if (!path.empty()) out[path] = {"dir", ""};
            REQUIRE(data + count <= entry_table.size());
            for (std::uint64_t i = 0; i < count; ++i)
                walk(entry_table[data + i].first, path + "/" + entry_table[data + i].second, out);
        } else if (mode == 0100000) {
            REQUIRE((data + (count + block_size - 1) / block_size) * block_size <= fs.size());
            out[path] = {"file", fs.substr(data * block_size, count)};
        } else if (mode == 0120000) {
            REQUIRE(data < link_table.size());
            CHECK(count == 1);
            out[path] = {"link", link_table[data]};
        } else {
            FAIL("inode " << number << " has mode " << mode);
        }
    }
};

}  // namespace

GuestListing read_rofs_disk(const std::string& disk) {
    REQUIRE(disk.size() >= 1024);
    CHECK(disk.size() % 512 == 0);
    CHECK(static_cast<unsigned char>(disk[510]) == 0x55);
    CHECK(static_cast<unsigned char>(disk[511]) == 0xaa);
    for (int slot : {0, 2, 3}) CHECK(le(disk, 0x1be + slot * 16 + 4, 1) == 0);  // system id: unused
    const std::size_t entry = 0x1be + 16;
    CHECK(le(disk, entry + 4, 1) == 0x83);
    const auto start = le(disk, entry + 8, 4), sectors = le(disk, entry + 12, 4);
    CHECK(start == 1);
    REQUIRE((start + sectors) * 512 == disk.size());

    Rofs rofs;
    rofs.fs = disk.substr(start * 512, sectors * 512);
    CHECK(le(rofs.fs, 0, 8) == 0xDEADBEAD);
    CHECK(le(rofs.fs, 8, 8) == 1);
    rofs.block_size = le(rofs.fs, 16, 8);
    REQUIRE(rofs.block_size == 512);
    rofs.first = le(rofs.fs, 24, 8);
    const auto structure_blocks = le(rofs.fs, 32, 8);
    rofs.entries = le(rofs.fs, 40, 8);
    rofs.links = le(rofs.fs, 48, 8);
    rofs.inodes = le(rofs.fs, 56, 8);
    CHECK((rofs.first + structure_blocks) * 512 == rofs.fs.size());
    std::size_t at = rofs.first * 512;
    for (std::uint64_t i = 0; i < rofs.entries; ++i) {
        const auto inode = le(rofs.fs, at, 8);
        const auto length = le(rofs.fs, at + 8, 2);
        rofs.entry_table.emplace_back(inode, rofs.fs.substr(at + 10, length));
        at += 10 + length;
    }
    for (std::uint64_t i = 0; i < rofs.links; ++i) {
        const auto length = le(rofs.fs, at, 2);
        rofs.link_table.push_back(rofs.fs.substr(at + 2, length));
        at += 2 + length;
    }
    rofs.inode_table = at;
    REQUIRE(at + rofs.inodes * 32 <= rofs.fs.size());
    GuestListing out;
    rofs.walk(1, "", out);
    CHECK(out.size() + 1 == rofs.inodes);  // every inode reachable exactly once
    return out;
}

GuestListing read_bootfs(const std::string& archive) {
    GuestListing out;
    for (std::size_t record = 0;; record += 128) {
        REQUIRE(record + 128 <= archive.size());
        const std::string name_field = archive.substr(record + 17, 111);
        const std::string name = name_field.substr(0, name_field.find('\0'));
        REQUIRE(name.size() < 111);  // the NUL is always there
        if (name.empty()) break;
        const auto size = le(archive, record, 8), offset = le(archive, record + 8, 8);
        const auto type = le(archive, record + 16, 1);
        REQUIRE(offset + size <= archive.size());
        const std::string bytes = archive.substr(offset, size);
        if (type == 1) {
            REQUIRE(bytes.ends_with('\0'));
            out[name] = {"link", bytes.substr(0, bytes.size() - 1)};
        } else if (name.ends_with('/') && size == 0) {
            out[name.substr(0, name.size() - 1)] = {"dir", ""};
        } else {
            CHECK(type == 0);
            out[name] = {"file", bytes};
        }
    }
    return out;
}

}  // namespace osv::test
