// The GNU hash of a symbol name (what .gnu.hash holds for every hashed .dynsym entry) and a set of
// such hashes. A library folder defines 400,000 names and imports 43,000: its definitions are
// checked against the imports by the hash the file already carries, so most of them are never
// read, hashed or looked up by name (see defined_imports.hpp).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace osv {

// The dynamic loader's hash (h = h * 33 + c from 5381), as .gnu.hash stores it. Bit 0 there marks
// the end of a chain: compare hashes with gnu_hash_key().
constexpr std::uint32_t gnu_hash(std::string_view name) {
    std::uint32_t h = 5381;
    for (const unsigned char c : name) h = h * 33 + c;
    return h;
}
constexpr std::uint32_t gnu_hash_key(std::uint32_t hash) { return hash | 1; }  // never 0: 0 is an empty slot

// GNU hashes, bit 0 ignored; open addressing at most 3/4 full.
class GnuHashSet {
public:
    void insert(std::uint32_t hash);
    bool contains(std::uint32_t hash) const {
        if (slots_.empty()) return false;
        const std::uint32_t key = gnu_hash_key(hash);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t slot = spread(key) & mask;; slot = (slot + 1) & mask) {
            if (slots_[slot] == key) return true;
            if (slots_[slot] == 0) return false;
        }
    }
    std::size_t size() const { return size_; }
    // Starts loading the slot a contains(hash) begins at (the table outgrows the caches).
    void prefetch(std::uint32_t hash) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[spread(gnu_hash_key(hash)) & (slots_.size() - 1)]);
    }

private:
    // h * 33 + c leaves the low bits to the last characters: mix before taking them.
    static std::size_t spread(std::uint32_t key) { return (static_cast<std::uint64_t>(key) * 0x9e3779b97f4a7c15ull) >> 32; }
    void grow();

    std::vector<std::uint32_t> slots_;
    std::size_t size_ = 0;
};

}  // namespace osv
