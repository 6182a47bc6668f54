#include "defined_imports.hpp"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace osv {
namespace {

// Names to look up in a table, gathered to be looked up together (SymbolNames::find_batch()): the
// files read again show 16,000 names of a library folder, and one looked up alone waited for
// three misses in a row.
class NameBatch {
public:
    // Takes a copy of `name`; true when the batch is full.
    bool add(std::string_view name) {
        ends_[count_] = text_.size() + name.size();
        text_.append(name);
        hashes_[count_] = SymbolNames::hash(name);
        return ++count_ == capacity;
    }
    // Calls each(id) for every name gathered that `table` holds, and empties the batch.
    template <typename Each>
    void look_up(const SymbolNames& table, Each each) {
        std::array<std::string_view, capacity> names;
        for (std::size_t i = 0, start = 0; i < count_; start = ends_[i++])
            names[i] = std::string_view(text_).substr(start, ends_[i] - start);
        table.find_batch(names.data(), hashes_.data(), count_, [&](std::size_t, SymbolNames::Id id) { each(id); });
        count_ = 0;
        text_.clear();
    }

private:
    static constexpr std::size_t capacity = 64;
    std::string text_;  // the names one after another
    std::array<std::size_t, capacity> ends_;
    std::array<std::uint64_t, capacity> hashes_;
    std::size_t count_ = 0;
};

// A reread file's definitions: names whose hash is open are read and marked where imported (a hash
// is no proof: the names are compared), a batch at a time (flush() for the last). No prefetch():
// the set's bitmap turns most hashes away before a slot is asked.
class Marker final : public DefinitionSink {
public:
    Marker(const GnuHashSet& open, const SymbolNames& imported, const std::function<void(SymbolNames::Id)>& mark)
        : open_(open), imported_(imported), mark_(mark) {}
    bool hashed(std::uint32_t gnu_hash) override { return open_.contains(gnu_hash); }
    void defined(std::string_view name) override {
        if (batch_.add(name)) flush();
    }
    void flush() { batch_.look_up(imported_, mark_); }

private:
    const GnuHashSet& open_;
    const SymbolNames& imported_;
    const std::function<void(SymbolNames::Id)>& mark_;
    NameBatch batch_;
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

std::vector<SymbolNames::Id> DefinedImports::finish(const Reread& reread) {
    defined_.resize(imported_->size());
    // Imported names no file defined after they were first imported ("open"): an earlier file may
    // define them. (A list of them by hash, to compare names against instead of looking them up,
    // saved 0.5 ms and cost 0.3 MB of peak, and was dropped.)
    GnuHashSet open;
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (!defined_[id]) open.insert(gnu_hash(imported_->name(id)));
    // Which files to read again, found before any file is: the deferred hashes (4 bytes for each of
    // a library folder's 400,000 definitions) are freed first, so a big library's sections read
    // again never come on top of them.
    std::vector<std::size_t> rereads;
    file_starts_.push_back(deferred_.size());
    if (open.size() != 0)
        for (std::size_t file = 0; file + 1 < file_starts_.size(); ++file)
            for (std::size_t entry = file_starts_[file]; entry < file_starts_[file + 1]; ++entry)
                if (open.contains(deferred_[entry])) {
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
        const std::function<void(SymbolNames::Id)> mark_id = [&](SymbolNames::Id id) { mark(id); };
        Marker marker(open, *imported_, mark_id);
        for (const std::size_t file : rereads) reread(file, marker);
        marker.flush();
    }
    defined_.resize(imported_->size());
    std::vector<SymbolNames::Id> ids;  // exact size: it lives through the analysis (20,000 names of a folder)
    ids.reserve(static_cast<std::size_t>(std::count(defined_.begin(), defined_.end(), true)));
    for (SymbolNames::Id id = 0; id < imported_->size(); ++id)
        if (defined_[id]) ids.push_back(id);
    return ids;
}

}  // namespace osv
