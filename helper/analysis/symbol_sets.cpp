#include "symbol_sets.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>

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

std::vector<std::string> needed_symbols(const std::vector<ElfSymbols>& programs) {
    std::set<std::string> needed;
    for (const auto& program : programs)
        for (const auto& import : program.imports) needed.insert(import.name);
    return {needed.begin(), needed.end()};
}

SymbolPlan plan_symbols(const std::vector<ElfSymbols>& programs, const ExportSet& exports,
                        const std::vector<std::string>& keeps, bool find_candidates) {
    SymbolPlan plan;
    plan.needed = needed_symbols(programs);

    std::set<std::string> script;
    for (const auto& name : plan.needed)
        if (exports.names.count(name)) script.insert(name);

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

    std::set<std::string, std::less<>> defined_by_inputs;
    std::map<std::string, bool> weak_only;  // name -> every import of it is weak
    for (const auto& program : programs) {
        defined_by_inputs.insert(program.definitions.begin(), program.definitions.end());
        for (const auto& import : program.imports) {
            auto [it, inserted] = weak_only.emplace(import.name, import.weak);
            if (!inserted) it->second = it->second && import.weak;
        }
    }
    for (const auto& program : programs)
        for (const auto& import : program.imports)
            if (!exports.names.count(import.name) && !defined_by_inputs.count(import.name) &&
                !weak_only.at(import.name))
                plan.unresolved[import.name].push_back(program.path);

    static const std::set<std::string, std::less<>> dl_functions = {"dlopen", "dlsym", "dlvsym"};
    const std::set<std::string, std::less<>> needed(plan.needed.begin(), plan.needed.end());
    for (const auto& program : programs) {
        DlUser user{program.path, {}};
        for (const auto& import : program.imports)
            if (dl_functions.count(import.name)) user.functions.push_back(import.name);
        if (user.functions.empty()) continue;
        plan.dl_users.push_back(user);
        if (!find_candidates) continue;
        for (auto& name : read_rodata_identifiers(program.path))
            if (exports.names.count(name) && !needed.count(name)) plan.candidates.push_back({program.path, name});
    }
    return plan;
}

}  // namespace osv
