#include "defined_imports.hpp"

#include <malloc.h>

#include <algorithm>
#include <utility>

namespace osv {
namespace {

// A reread file's definitions: names whose hash is one of `open` are read and marked where imported.
class Marker final : public DefinitionSink {
public:
    Marker(const GnuHashSet& open, const std::function<void(std::string_view)>& mark) : open_(open), mark_(mark) {}
    bool hashed(std::uint32_t gnu_hash) override { return open_.contains(gnu_hash); }
    void prefetch(std::uint32_t gnu_hash) override { open_.prefetch(gnu_hash); }
    void defined(std::string_view name) override { mark_(name); }

private:
    const GnuHashSet& open_;
    const std::function<void(std::string_view)>& mark_;
};

}  // namespace

void DefinedImports::start_file(std::size_t file) {
    if (file < file_starts_.size()) {
        deferred_.resize(file_starts_[file]);
        file_starts_.resize(file);
    }
    file_starts_.resize(file + 1, deferred_.size());
}

void DefinedImports::mark(SymbolNames::Id id) {
    if (defined_.size() <= id) defined_.resize(imported_->size());
    defined_[id] = true;
}

bool DefinedImports::hashed(std::uint32_t gnu_hash) {
    // Names imported since the last definition (by earlier files: a file's own are interned after its walk).
    for (; hashed_names_ < imported_->size(); ++hashed_names_) imported_hashes_.insert(osv::gnu_hash(imported_->name(hashed_names_)));
    if (imported_hashes_.contains(gnu_hash)) return true;  // maybe imported: the name decides
    defer(gnu_hash);
    return false;
}

void DefinedImports::defined(std::string_view name) {
    if (const auto id = imported_->find(name))
        mark(*id);
    else
        defer(gnu_hash(name));
}

std::vector<std::string_view> DefinedImports::finish(const Reread& reread) {
    defined_.resize(imported_->size());
    // Imported names no file defined after they were first imported: an earlier file may define them.
    GnuHashSet open_hashes;
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (!defined_[id]) open_hashes.insert(gnu_hash(imported_->name(id)));
    // Which files to read again, found before any file is: the deferred hashes (4 bytes for each of
    // a library folder's 400,000 definitions) are freed first, so a big library's sections read
    // again never come on top of them.
    std::vector<std::size_t> rereads;
    file_starts_.push_back(deferred_.size());
    if (open_hashes.size() != 0)
        for (std::size_t file = 0; file + 1 < file_starts_.size(); ++file)
            for (std::size_t entry = file_starts_[file]; entry < file_starts_[file + 1]; ++entry)
                if (open_hashes.contains(deferred_[entry])) {
                    rereads.push_back(file);
                    break;
                }
    std::deque<std::uint32_t>().swap(deferred_);
    std::vector<std::size_t>().swap(file_starts_);
#ifdef __GLIBC__
    // Their pages go back to the system now: freed 512-byte blocks stay resident otherwise, below
    // all the rest of the analysis allocates (0.6 MB of a library folder's peak).
    ::malloc_trim(0);
#endif
    if (!rereads.empty()) {
        const std::function<void(std::string_view)> mark_name = [&](std::string_view name) {
            if (const auto id = imported_->find(name)) mark(*id);
        };
        Marker marker(open_hashes, mark_name);
        for (const std::size_t file : rereads) reread(file, marker);  // a hash is no proof: compare the names
    }
    defined_.resize(imported_->size());  // a file rewritten meanwhile may have brought new names
    std::vector<std::string_view> names;  // exact size: it lives through the analysis (20,000 names of a folder)
    names.reserve(static_cast<std::size_t>(std::count(defined_.begin(), defined_.end(), true)));
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (defined_[id]) names.push_back(imported_->name(id));
    return names;
}

}  // namespace osv
