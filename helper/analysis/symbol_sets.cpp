#include "symbol_sets.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>

#include "symbol_names.hpp"

#include "error.hpp"
#include "text_input.hpp"

namespace osv {

void check_same_architecture(const std::vector<ElfSymbols>& programs, const ExportSet& exports) {
    if (!exports.arch) return;
    for (const auto& program : programs)
        if (!(program.arch == *exports.arch))
            throw InputError(quoted_path(program.path) + ": architecture " + program.arch.describe() +
                             " differs from the kernel's " + exports.arch->describe() +
                             "; build the app for the kernel's architecture");
}

namespace {

// Every imported name once and each import as its name's id. Programs read together (an app) share
// the reader's table and carry their ids: its ids serve, nothing is hashed again (a library folder:
// 170,000 imports of 43,000 names). Otherwise (programs read alone, or built by hand) the names are
// indexed here, in a table of their own.
struct ImportIndex {
    SymbolNames own;
    const SymbolNames* names = &own;
    std::vector<std::uint8_t> use;  // by id: 0 not imported, 1 only weakly, 2 strongly
    // Only for programs with tables of their own: each import's id in `own`, by program, by import.
    // Programs sharing the reader's table carry their ids already.
    std::vector<std::vector<SymbolNames::Id>> own_ids;

    explicit ImportIndex(const std::vector<ElfSymbols>& programs) {
        const SymbolNames* shared = programs.empty() ? nullptr : programs.front().names.get();
        for (const auto& program : programs)
            if (program.names.get() != shared) shared = nullptr;
        if (shared) {
            names = shared;
            use.resize(shared->size());
        } else {
            own_ids.reserve(programs.size());
        }
        for (const auto& program : programs) {
            std::vector<SymbolNames::Id>* program_ids = shared ? nullptr : &own_ids.emplace_back();
            if (program_ids) program_ids->reserve(program.imports.size());
            for (const auto& import : program.imports) {
                const SymbolNames::Id id = shared ? import.id : own.intern(program.name(import));
                if (id >= use.size()) use.resize(id + 1);
                use[id] = std::max<std::uint8_t>(use[id], import.weak ? 1 : 2);
                if (program_ids) program_ids->push_back(id);
            }
        }
    }

    // Calls `each` with the id of every import of program number `p`, in the program's order.
    template <typename Each>
    void for_each_id(const std::vector<ElfSymbols>& programs, std::size_t p, Each each) const {
        if (own_ids.empty())
            for (const auto& import : programs[p].imports) each(import.id);
        else
            for (const SymbolNames::Id id : own_ids[p]) each(id);
    }

    bool imported(SymbolNames::Id id) const { return use[id] != 0; }
    bool weak_only(SymbolNames::Id id) const { return use[id] == 1; }
    std::size_t size() const { return use.size(); }
    std::optional<SymbolNames::Id> find(std::string_view name) const {
        const auto id = names->find(name);
        return id && imported(*id) ? id : std::nullopt;
    }
    std::size_t count() const { return static_cast<std::size_t>(std::count_if(use.begin(), use.end(), [](auto u) { return u != 0; })); }

    std::vector<std::string> sorted() const {
        std::vector<std::string_view> views;
        views.reserve(size());
        for (SymbolNames::Id id = 0; id < size(); ++id)
            if (imported(id)) views.push_back(names->name(id));
        std::sort(views.begin(), views.end());
        return {views.begin(), views.end()};
    }
};

}  // namespace

std::vector<std::string> needed_symbols(const std::vector<ElfSymbols>& programs) { return ImportIndex(programs).sorted(); }

SymbolPlan plan_symbols(const std::vector<ElfSymbols>& programs, const ExportSet& exports,
                        const std::vector<std::string>& keeps, bool find_candidates,
                        const std::vector<SymbolNames::Id>& defined_imports) {
    SymbolPlan plan;
    const ImportIndex imports(programs);
    plan.needed_count = imports.count();
    std::vector<bool> exported(imports.size());
    for (const auto& name : exports.names)
        if (const auto id = imports.find(name)) exported[*id] = true;

    std::set<std::string> script;
    for (SymbolNames::Id id = 0; id < imports.size(); ++id)
        if (exported[id]) script.emplace(imports.names->name(id));

    std::set<std::string> kept;
    for (const auto& keep : keeps) {
        bool matched = false;
        if (!is_glob_pattern(keep)) {
            if (exports.names.count(keep)) matched = true, kept.insert(keep);
        } else {
            for (const auto& name : exports.names)
                if (fnmatch(keep.c_str(), name.c_str(), 0) == 0) matched = true, kept.insert(name);
        }
        if (!matched) plan.unmatched_keeps.push_back(keep);
    }
    std::sort(plan.unmatched_keeps.begin(), plan.unmatched_keeps.end());
    plan.unmatched_keeps.erase(std::unique(plan.unmatched_keeps.begin(), plan.unmatched_keeps.end()), plan.unmatched_keeps.end());
    for (const auto& name : kept)
        if (script.insert(name).second) plan.kept.push_back(name);
    plan.script.assign(script.begin(), script.end());

    // Only names that are needed and not exported need the definitions: the reader found which
    // imported names some input defines (defined_imports, ids of the table the index uses: 20,000
    // of a library folder, each looked up by name again before); programs read alone list their own.
    if (!defined_imports.empty() && imports.names == &imports.own)
        throw std::logic_error("plan_symbols: defined imports given for programs that share no table of names");
    std::vector<bool> defined(imports.size());
    for (const SymbolNames::Id id : defined_imports) {
        if (id >= defined.size()) throw std::logic_error("plan_symbols: a defined import's id is outside the programs' table");
        defined[id] = true;
    }
    for (const auto& program : programs)
        for (const auto& name : program.definitions)
            if (const auto id = imports.find(name)) defined[*id] = true;
    std::vector<bool> unresolved(imports.size());
    bool any_unresolved = false;
    for (SymbolNames::Id id = 0; id < imports.size(); ++id)
        if (imports.imported(id) && !imports.weak_only(id) && !exported[id] && !defined[id])
            unresolved[id] = any_unresolved = true;
    if (any_unresolved)
        for (std::size_t p = 0; p < programs.size(); ++p)
            imports.for_each_id(programs, p, [&](SymbolNames::Id id) {
                if (unresolved[id]) plan.unresolved[std::string(imports.names->name(id))].push_back(programs[p].path);
            });

    std::vector<SymbolNames::Id> dl_functions;  // the ids of dlopen, dlsym, dlvsym, where imported
    for (const char* name : {"dlopen", "dlsym", "dlvsym"})
        if (const auto id = imports.find(name)) dl_functions.push_back(*id);
    for (std::size_t p = 0; p < programs.size() && !dl_functions.empty(); ++p) {
        DlUser user{programs[p].path, {}, {}};
        imports.for_each_id(programs, p, [&](SymbolNames::Id id) {
            if (std::find(dl_functions.begin(), dl_functions.end(), id) != dl_functions.end())
                user.functions.emplace_back(imports.names->name(id));
        });
        if (user.functions.empty()) continue;
        std::sort(user.functions.begin(), user.functions.end());  // imports come in id order
        plan.dl_users.push_back(user);
        if (!find_candidates) continue;
        for (auto& name : read_rodata_identifiers(user.path))
            if (exports.names.count(name) && !imports.find(name)) plan.candidates.push_back({user.path, name});
    }
    return plan;
}

}  // namespace osv
