// Symbol names read from ELF files, each distinct name stored once for as long as anything refers to
// it. An app's files import the same few thousand names over and over (a library folder: 170,000
// imports, 43,000 names), so the readers hand out string_views into this table instead of copying
// every name into its own std::string, and sets of names become sets of small ids.
// Memory per name (a library folder's peak holds this table): its bytes with a one-byte length
// before them in 64 KB blocks, a 4-byte place by id, and an 8-byte slot kept at most 3/4 full
// (43,000 names: 1.1 MB of blocks, 256 KB of places, 512 KB of slots).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace osv {

class SymbolNames {
public:
    using Id = std::uint32_t;
    static constexpr std::size_t max_names = std::size_t{1} << 31;  // ids below 2^31

    // The hash every lookup starts from; callers that look one name up more than once keep it.
    static std::uint64_t hash(std::string_view name);

    // The id of `name`, storing a copy on first sight. Views from name() stay valid as long as the table.
    Id intern(std::string_view name) { return intern(name, hash(name)); }
    Id intern(std::string_view name, std::uint64_t hash);
    std::optional<Id> find(std::string_view name) const { return find(name, hash(name)); }
    // Starts loading the slot a lookup of `hash` begins at, for a caller with work to do meanwhile:
    // the table is too big for the caches, and that load was most of a lookup's time.
    void prefetch(std::uint64_t hash) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[home_of(hash) & (slots_.size() - 1)]);
    }
    std::optional<Id> find(std::string_view name, std::uint64_t hash) const;
    // find() of `count` names whose hashes are known, calling each(i, id) for every one found, in
    // order. A lookup waits for three loads one after another (its slot, the name's place, its
    // bytes), each a miss in a table too big for the caches: here each step is started for the
    // whole batch before any lookup waits on it.
    template <typename Each>
    void find_batch(const std::string_view* names, const std::uint64_t* hashes, std::size_t count, Each each) const {
        if (slots_.empty()) return;
        const std::size_t mask = slots_.size() - 1;
        const auto home_id = [&](std::size_t i) -> std::optional<Id> {  // the id at the home slot, if its tag is the name's
            const std::uint64_t entry = slots_[home_of(hashes[i]) & mask];
            if (entry == 0 || (entry >> 32) != (hashes[i] >> 32)) return std::nullopt;
            return static_cast<Id>(entry) - 1;
        };
        for (std::size_t i = 0; i < count; ++i) __builtin_prefetch(&slots_[home_of(hashes[i]) & mask]);
        for (std::size_t i = 0; i < count; ++i)
            if (const auto id = home_id(i)) __builtin_prefetch(&places_[*id]);
        for (std::size_t i = 0; i < count; ++i)
            if (const auto id = home_id(i)) {
                const std::uint32_t place = places_[*id];
                __builtin_prefetch(blocks_[place >> block_bits].get() + (place & block_mask));
            }
        for (std::size_t i = 0; i < count; ++i)
            if (const auto id = find(names[i], hashes[i])) each(i, *id);
    }

    std::string_view name(Id id) const {
        const std::uint32_t place = places_[id];
        const auto* at = reinterpret_cast<const unsigned char*>(blocks_[place >> block_bits].get()) + (place & block_mask);
        if (*at < long_name) return {reinterpret_cast<const char*>(at + 1), *at};
        std::uint32_t size;
        std::memcpy(&size, at + 1, sizeof size);
        return {reinterpret_cast<const char*>(at + 1 + sizeof size), size};
    }
    std::size_t size() const { return places_.size(); }

private:
    // A name's place: block number << block_bits | offset in the block. A name longer than a block
    // gets a block of its own (offset 0), so 32 bits reach 65,536 blocks, 4 GB of names.
    static constexpr unsigned block_bits = 16;
    static constexpr std::size_t block_size = std::size_t{1} << block_bits;
    static constexpr std::uint32_t block_mask = block_size - 1;
    // The length byte before a name; this value says four bytes of length follow instead.
    static constexpr unsigned char long_name = 0xff;

    // A name's first slot comes from the tag too, so growing the table moves entries by their tags
    // without hashing every name again (seven doublings for a library folder's 43,000 names).
    static constexpr std::size_t home_of(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 32); }
    // The slot holding `name`, or the empty slot where it would go (the table is never full).
    std::size_t probe(std::string_view name, std::uint64_t hash) const;
    std::uint32_t store(std::string_view name);
    void grow();

    std::vector<std::uint32_t> places_;  // by id
    // Open addressing: (high 32 bits of the hash) << 32 | (id + 1), 0 = empty; the first slot tried is
    // taken from those bits too, so growing needs no name hashed again. The hash beside the id answers
    // most lookups of names not in the table in one memory access.
    std::vector<std::uint64_t> slots_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_used_ = block_size;  // of the last block: none yet
};

}  // namespace osv
