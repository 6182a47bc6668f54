// Symbol names read from ELF files, each distinct name stored once for as long as anything refers to
// it. An app's files import the same few thousand names over and over (a library folder: 170,000
// imports, 43,000 names), so the readers hand out string_views into this table instead of copying
// every name into its own std::string, and sets of names become sets of small ids.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace osv {

class SymbolNames {
public:
    using Id = std::uint32_t;

    // `copy` false: the table keeps the callers' views instead of copies (they outlive it).
    explicit SymbolNames(bool copy = true) : copy_(copy) {}

    // The hash every lookup starts from; callers that look one name up more than once keep it.
    static std::uint64_t hash(std::string_view name);

    // The id of `name`, storing a copy on first sight. Views from name() stay valid as long as the table.
    Id intern(std::string_view name) { return intern(name, hash(name)); }
    Id intern(std::string_view name, std::uint64_t hash);
    std::optional<Id> find(std::string_view name) const { return find(name, hash(name)); }
    std::optional<Id> find(std::string_view name, std::uint64_t hash) const;

    std::string_view name(Id id) const { return names_[id]; }
    std::size_t size() const { return names_.size(); }

private:
    std::string_view store(std::string_view name);
    void grow();

    std::vector<std::string_view> names_;     // by id
    // Open addressing: (high 32 bits of the hash) << 32 | (id + 1), 0 = empty; the first slot tried is
    // taken from those bits too, so growing needs no name hashed again. The hash beside the id answers
    // most lookups of names not in the table in one memory access.
    std::vector<std::uint64_t> slots_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_used_ = 0, block_size_ = 0;
    bool copy_ = true;
};

}  // namespace osv
