// Which of an app's imported names some input file defines: the one fact about definitions the
// symbol sets need (unresolved = needed − exports − defined by an input − weak-only). A library
// folder defines 400,000 names and imports 43,000, so the definitions are not kept: each is checked
// against the names imported so far as its file is read, and only a 32-bit hash is kept of the rest.
// When a later file imports a name whose hash an earlier file left, that earlier file is read again
// and the name compared in full: exact, and cheap, because few files are read twice.
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
    void defined(std::string_view name) override;

    // Once every file is read: the imported names some file defines. `reread(file, sink)` reads file
    // number `file` again and shows its definitions to `sink`.
    using Reread = std::function<void(std::size_t file, DefinitionSink& sink)>;
    std::vector<std::string_view> finish(const Reread& reread);

private:
    void mark(SymbolNames::Id id);

    std::shared_ptr<SymbolNames> imported_;
    std::vector<bool> defined_;                         // by name id
    std::vector<std::vector<std::uint32_t>> deferred_;  // by file: hashes of names not imported when read
    std::size_t current_ = 0;
};

}  // namespace osv
