#include "symbol_names.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

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
}  // namespace

std::size_t SymbolNames::probe(std::string_view name, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = home_of(hash) & mask;; slot = (slot + 1) & mask) {
        const std::uint64_t entry = slots_[slot];
        if (entry == 0 || (tag_of(entry) == tag_of(hash) && this->name(static_cast<Id>(entry) - 1) == name)) return slot;
    }
}

std::optional<SymbolNames::Id> SymbolNames::find(std::string_view name, std::uint64_t hash) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t entry = slots_[probe(name, hash)];
    if (entry == 0) return std::nullopt;
    return static_cast<Id>(entry) - 1;
}

SymbolNames::Id SymbolNames::intern(std::string_view name, std::uint64_t hash) {
    // At most 3/4 full: the tags beside the ids keep probes cheap (a library folder's 43,000 names
    // fit 65,536 slots, not 131,072 as at half).
    if ((places_.size() + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t slot = probe(name, hash);
    if (slots_[slot] != 0) return static_cast<Id>(slots_[slot]) - 1;
    // Ids fit 31 bits: a DynamicImport keeps its weak flag beside one.
    if (places_.size() >= max_names) throw std::length_error("more symbol names than SymbolNames can hold");
    const Id id = static_cast<Id>(places_.size());
    places_.push_back(store(name));
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

std::uint32_t SymbolNames::store(std::string_view name) {
    // Blocks, never reallocated, so every view handed out stays valid.
    const std::size_t length_size = name.size() < long_name ? 1 : 1 + sizeof(std::uint32_t);
    const std::size_t needed = length_size + name.size();
    if (block_used_ + needed > block_size) {
        if (blocks_.size() > (std::size_t{1} << (32 - block_bits)) - 1 || name.size() > UINT32_MAX)
            throw std::length_error("more symbol names than SymbolNames can hold");
        blocks_.push_back(std::make_unique<char[]>(std::max(block_size, needed)));
        block_used_ = 0;
    }
    const auto place = static_cast<std::uint32_t>((blocks_.size() - 1) << block_bits | block_used_);
    char* at = blocks_.back().get() + block_used_;
    if (length_size == 1) {
        *at = static_cast<char>(name.size());
    } else {
        *at = static_cast<char>(long_name);
        const auto size = static_cast<std::uint32_t>(name.size());
        std::memcpy(at + 1, &size, sizeof size);
    }
    std::memcpy(at + length_size, name.data(), name.size());
    // A name longer than a block filled its own: the next one starts a new block.
    block_used_ = needed > block_size ? block_size : block_used_ + needed;
    return place;
}

}  // namespace osv
