#include "gnu_hash.hpp"

namespace osv {

void GnuHashSet::insert(std::uint32_t hash) {
    // At most 3/4 full: a probe is one compare of 4-byte keys, mostly in one cache line (a library
    // folder's 43,000 imported hashes fit 65,536 slots, 256 KB, not 131,072 as at half).
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint32_t key = gnu_hash_key(hash);
    filter_add(key);
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = spread(key) & mask;
    for (; slots_[slot] != 0; slot = (slot + 1) & mask)
        if (slots_[slot] == key) return;
    slots_[slot] = key;
    ++size_;
}

void GnuHashSet::grow() {
    std::vector<std::uint32_t> old(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint32_t key : old) {
        if (key == 0) continue;
        std::size_t slot = spread(key) & mask;
        while (slots_[slot] != 0) slot = (slot + 1) & mask;
        slots_[slot] = key;
    }
}

}  // namespace osv
