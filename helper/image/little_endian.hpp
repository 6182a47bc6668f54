// Appending fixed-width little-endian integers to a byte string: the on-disk formats OSv reads
// (rofs, bootfs, the partition table) are x86 structs, written here field by field so the bytes
// do not depend on this compiler's struct layout or the host's byte order.
#pragma once

#include <cstdint>
#include <string>

namespace osv {

template <typename Unsigned>
void append_le(std::string& out, Unsigned value) {
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i) out += static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
}

template <typename Unsigned>
void store_le(std::string& out, std::size_t offset, Unsigned value) {
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i)
        out[offset + i] = static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
}

}  // namespace osv
