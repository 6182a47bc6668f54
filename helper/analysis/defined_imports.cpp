#include "defined_imports.hpp"

#include <unordered_set>
#include <utility>

namespace osv {
namespace {

// A reread file's definitions: marks every imported name among them.
class Marker final : public DefinitionSink {
public:
    explicit Marker(const std::function<void(std::string_view)>& mark) : mark_(mark) {}
    void defined(std::string_view name, std::size_t) override { mark_(name); }

private:
    const std::function<void(std::string_view)>& mark_;
};

}  // namespace

void DefinedImports::start_file(std::size_t file) {
    if (deferred_.size() <= file) deferred_.resize(file + 1);
    current_ = file;
}

void DefinedImports::mark(SymbolNames::Id id) {
    if (defined_.size() <= id) defined_.resize(imported_->size());
    defined_[id] = true;
}

void DefinedImports::defined(std::string_view name, std::size_t index) {
    const std::uint64_t hash = SymbolNames::hash(name);
    if (const auto id = imported_->find(name, hash))
        mark(*id);
    else
        deferred_[current_].push_back({static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(index)});
}

std::vector<std::string_view> DefinedImports::finish(const Reread& reread) {
    defined_.resize(imported_->size());
    // Imported names no file defined after they were first imported: an earlier file may define them.
    std::unordered_set<std::uint32_t> open_hashes;
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (!defined_[id]) open_hashes.insert(static_cast<std::uint32_t>(SymbolNames::hash(imported_->name(id))));
    if (!open_hashes.empty()) {
        const std::function<void(std::string_view)> mark_name = [&](std::string_view name) {
            if (const auto id = imported_->find(name)) mark(*id);
        };
        Marker marker(mark_name);
        // Which entries to read again, gathered before any file is: the deferred entries (8 bytes
        // for each of a library folder's 400,000 definitions) and the hashes are freed first, so a
        // big library's sections read again never come on top of them (that was the peak).
        std::vector<std::pair<std::size_t, std::vector<std::size_t>>> rereads;  // file, .dynsym indexes
        for (std::size_t file = 0; file < deferred_.size(); ++file) {
            std::vector<std::size_t> indexes;
            for (const Deferred& entry : deferred_[file])
                if (open_hashes.count(entry.hash)) indexes.push_back(entry.index);
            std::vector<Deferred>().swap(deferred_[file]);
            if (!indexes.empty()) rereads.emplace_back(file, std::move(indexes));
        }
        std::unordered_set<std::uint32_t>().swap(open_hashes);
        for (const auto& [file, indexes] : rereads) reread(file, indexes, marker);  // a hash is no proof: compare the names
    }
    deferred_.clear();
    deferred_.shrink_to_fit();
    defined_.resize(imported_->size());  // a file rewritten meanwhile may have brought new names
    std::vector<std::string_view> names;
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (defined_[id]) names.push_back(imported_->name(id));
    return names;
}

}  // namespace osv
