// Which of an app's imported names some input file defines: the one fact about definitions the
// symbol sets need (unresolved = needed − exports − defined by an input − weak-only). A library
// folder defines 400,000 names and imports 43,000, so the definitions are not kept, and most are
// never even read: each is checked, as its file is read, against the GNU hashes of the names
// imported so far, by the hash the file's .gnu.hash already holds; only on a hash match is its name
// read and compared in full. Of the rest only the 32-bit GNU hash is kept (1.6 MB for the folder).
// When a later file imports a name whose hash an earlier file left, that file's definitions are
// read again, their names read where the hash matches such a name, and compared in full: exact.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "elf_file.hpp"
#include "gnu_hash.hpp"
#include "symbol_names.hpp"

namespace osv {

class DefinedImports final : public DefinitionSink {
public:
    explicit DefinedImports(std::shared_ptr<SymbolNames> imported) : imported_(std::move(imported)) {}

    // The definitions that follow are file number `file` (0, 1, 2, ... in reading order). A number
    // given again (the last file turned out to be no program) drops what was shown of it.
    void start_file(std::size_t file);
    bool hashed(std::uint32_t gnu_hash) override;
    void prefetch(std::uint32_t gnu_hash) override { imported_hashes_.prefetch(gnu_hash); }
    void defined(std::string_view name) override;

    // Once every file is read: the imported names some file defines, as their ids in the table of
    // imported names. `reread(file, sink)` shows `sink` the definitions of file number `file` again
    // (read_elf_definitions()).
    using Reread = std::function<void(std::size_t file, DefinitionSink& sink)>;
    std::vector<SymbolNames::Id> finish(const Reread& reread);

private:
    void mark(SymbolNames::Id id);
    void defer(std::uint32_t gnu_hash) { deferred_.push_back(gnu_hash_key(gnu_hash)); }

    std::shared_ptr<SymbolNames> imported_;
    GnuHashSet imported_hashes_;       // of imported_'s names up to `hashed_names_`
    SymbolNames::Id hashed_names_ = 0;
    std::vector<bool> defined_;        // by name id
    // The GNU hashes of definitions whose name was not imported when their file was read, file after
    // file: file n's from file_starts_[n] on. A deque: no copy and no spare half while it grows.
    std::deque<std::uint32_t> deferred_;
    std::vector<std::size_t> file_starts_;
};

}  // namespace osv
