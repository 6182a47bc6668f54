#include "symbol_names.hpp"

#include <algorithm>
#include <cstring>

namespace osv {

std::uint64_t SymbolNames::hash(std::string_view name) {
    // FNV-1a over 8 bytes at a time with a final mix: names are short and mostly share long C++
    // prefixes, which a byte-wise FNV handles well but slowly.
    std::uint64_t h = 0xcbf29ce484222325ull ^ name.size();
    std::size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, name.data() + i, 8);
        h = (h ^ word) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    if (i < name.size()) std::memcpy(&tail, name.data() + i, name.size() - i);
    h = (h ^ tail) * 0x100000001b3ull;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    return h ^ (h >> 32);
}

namespace {
constexpr std::uint64_t tag_of(std::uint64_t hash) { return hash & 0xffffffff00000000ull; }
// A name's first slot comes from the tag too, so growing the table moves entries by their tags
// without hashing every name again (seven doublings for a library folder's 43,000 names).
constexpr std::size_t home_of(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 32); }
}  // namespace

std::optional<SymbolNames::Id> SymbolNames::find(std::string_view name, std::uint64_t hash) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = home_of(hash) & mask;; slot = (slot + 1) & mask) {
        const std::uint64_t entry = slots_[slot];
        if (entry == 0) return std::nullopt;
        const Id id = static_cast<Id>(entry) - 1;
        if (tag_of(entry) == tag_of(hash) && names_[id] == name) return id;
    }
}

SymbolNames::Id SymbolNames::intern(std::string_view name, std::uint64_t hash) {
    if ((names_.size() + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = home_of(hash) & mask;
    for (;; slot = (slot + 1) & mask) {
        const std::uint64_t entry = slots_[slot];
        if (entry == 0) break;
        const Id id = static_cast<Id>(entry) - 1;
        if (tag_of(entry) == tag_of(hash) && names_[id] == name) return id;
    }
    const Id id = static_cast<Id>(names_.size());
    names_.push_back(store(name));
    slots_[slot] = tag_of(hash) | (static_cast<std::uint64_t>(id) + 1);
    return id;
}

void SymbolNames::grow() {
    std::vector<std::uint64_t> slots(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (const std::uint64_t entry : slots_) {
        if (entry == 0) continue;
        std::size_t slot = home_of(entry) & mask;
        while (slots[slot] != 0) slot = (slot + 1) & mask;
        slots[slot] = entry;
    }
    slots_ = std::move(slots);
}

std::string_view SymbolNames::store(std::string_view name) {
    // Blocks, never reallocated, so every view handed out stays valid.
    if (name.empty() || !copy_) return name;
    if (block_used_ + name.size() > block_size_) {
        block_size_ = std::max<std::size_t>(64 * 1024, name.size());
        blocks_.push_back(std::make_unique<char[]>(block_size_));
        block_used_ = 0;
    }
    char* at = blocks_.back().get() + block_used_;
    std::memcpy(at, name.data(), name.size());
    block_used_ += name.size();
    return {at, name.size()};
}

}  // namespace osv
