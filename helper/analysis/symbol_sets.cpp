#include "symbol_sets.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "error.hpp"
#include "text_input.hpp"

namespace osv {

void check_same_architecture(const std::vector<ElfSymbols>& programs, const ExportSet& exports) {
    if (!exports.arch) return;
    for (const auto& program : programs)
        if (!(program.arch == *exports.arch))
            throw InputError(program.path.string() + ": architecture " + program.arch.describe() +
                             " differs from the kernel's " + exports.arch->describe() +
                             "; build the app for the kernel's architecture");
}

namespace {

// Every imported name once, and whether all its imports are weak; views into the programs' names.
std::unordered_map<std::string_view, bool> imported_names(const std::vector<ElfSymbols>& programs) {
    std::unordered_map<std::string_view, bool> weak_only;
    for (const auto& program : programs)
        for (const auto& import : program.imports) {
            auto [it, inserted] = weak_only.emplace(import.name, import.weak);
            if (!inserted) it->second = it->second && import.weak;
        }
    return weak_only;
}

std::vector<std::string> sorted_names(const std::unordered_map<std::string_view, bool>& names) {
    std::vector<std::string_view> views;
    views.reserve(names.size());
    for (const auto& [name, weak] : names) views.push_back(name);
    std::sort(views.begin(), views.end());
    return {views.begin(), views.end()};
}

}  // namespace

std::vector<std::string> needed_symbols(const std::vector<ElfSymbols>& programs) {
    return sorted_names(imported_names(programs));
}

SymbolPlan plan_symbols(const std::vector<ElfSymbols>& programs, const ExportSet& exports,
                        const std::vector<std::string>& keeps, bool find_candidates,
                        const std::vector<std::string_view>& defined_imports) {
    SymbolPlan plan;
    // Hash sets of views: an app with its libraries imports tens of thousands of names.
    const std::unordered_map<std::string_view, bool> weak_only = imported_names(programs);
    plan.needed = sorted_names(weak_only);
    const std::unordered_set<std::string_view> exported(exports.names.begin(), exports.names.end());

    std::set<std::string> script;
    for (const auto& name : plan.needed)
        if (exported.count(name)) script.insert(name);

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
    // imported names some input defines (defined_imports); programs read alone list their own.
    // Decided once a name, then one lookup an import.
    std::unordered_set<std::string_view> defined_by_inputs(defined_imports.begin(), defined_imports.end());
    for (const auto& program : programs) defined_by_inputs.insert(program.definitions.begin(), program.definitions.end());
    std::unordered_set<std::string_view> unresolved_names;
    for (const auto& [name, weak] : weak_only)
        if (!weak && !exported.count(name) && !defined_by_inputs.count(name)) unresolved_names.insert(name);
    if (!unresolved_names.empty())
        for (const auto& program : programs)
            for (const auto& import : program.imports)
                if (unresolved_names.count(import.name)) plan.unresolved[std::string(import.name)].push_back(program.path);

    static const std::set<std::string, std::less<>> dl_functions = {"dlopen", "dlsym", "dlvsym"};
    for (const auto& program : programs) {
        DlUser user{program.path, {}};
        for (const auto& import : program.imports)
            if (dl_functions.count(import.name)) user.functions.emplace_back(import.name);
        if (user.functions.empty()) continue;
        std::sort(user.functions.begin(), user.functions.end());  // imports come in file order
        plan.dl_users.push_back(user);
        if (!find_candidates) continue;
        for (auto& name : read_rodata_identifiers(program.path))
            if (exports.names.count(name) && !weak_only.count(name)) plan.candidates.push_back({program.path, name});
    }
    return plan;
}

}  // namespace osv
