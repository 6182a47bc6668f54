// Which of an app's imported names some input file defines: the one fact about definitions the
// symbol sets need (unresolved = needed − exports − defined by an input − weak-only). A library
// folder defines 400,000 names and imports 43,000, so the definitions are not kept: each is checked
// against the names imported so far as its file is read, and only a 32-bit hash and the .dynsym index
// are kept of the rest. When a later file imports a name whose hash an earlier file left, that entry
// is read again and the name compared in full: exact, and cheap, one entry a name.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "elf_file.hpp"
#include "symbol_names.hpp"

namespace osv {

class DefinedImports final : public DefinitionSink {
public:
    explicit DefinedImports(std::shared_ptr<SymbolNames> imported) : imported_(std::move(imported)) {}

    // The definitions that follow are file number `file` (0, 1, 2, ... in reading order).
    void start_file(std::size_t file);
    void defined(std::string_view name, std::size_t index) override;

    // Once every file is read: the imported names some file defines. `reread(file, indexes, sink)`
    // shows `sink` the names of those .dynsym entries of file number `file`, read again.
    using Reread = std::function<void(std::size_t file, const std::vector<std::size_t>& indexes, DefinitionSink& sink)>;
    std::vector<std::string_view> finish(const Reread& reread);

private:
    void mark(SymbolNames::Id id);

    std::shared_ptr<SymbolNames> imported_;
    std::vector<bool> defined_;                         // by name id
    struct Deferred {
        std::uint32_t hash;   // of a name not imported when its file was read
        std::uint32_t index;  // its entry in the file's .dynsym
    };
    std::vector<std::vector<Deferred>> deferred_;  // by file
    std::size_t current_ = 0;
};

}  // namespace osv
