// The set arithmetic at the heart of the project:
//   needed     = union of every program's undefined dynamic symbols
//   script     = (needed ∩ exports) ∪ (keep names and globs matched against exports)
//   unresolved = needed − exports − names any input defines − weak-only imports
// Kernel exports are never dropped because an app library defines the same name: OSv resolves
// an app's imports against the kernel first.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "elf_file.hpp"
#include "exports.hpp"

namespace osv {

struct DlUser {
    std::filesystem::path path;
    std::vector<std::string> functions;  // which of dlopen/dlsym/dlvsym it imports
    std::vector<std::string> library_hints;  // dlopen users: .rodata strings that look like libraries or
                                             // module folders (filled in by analyse_app, which reads files)
};

struct DlsymCandidate {
    std::filesystem::path path;
    std::string name;  // a string in the file's .rodata that names an export not already needed
};

struct SymbolPlan {
    // How many distinct names the programs import. A count, not the sorted list: reports and
    // `check` print only the number, and sorting a library folder's 43,000 names (long shared
    // C++ prefixes) was 16 % of its analysis; needed_symbols() lists them where a list is wanted.
    std::size_t needed_count = 0;
    std::vector<std::string> script;           // the version script's names, sorted
    std::vector<std::string> kept;             // script names present only because of keep entries
    std::vector<std::string> unmatched_keeps;  // keep entries matching no export (a warning)
    // name -> importing files, as strings: a path object carries its components too (~300 bytes a
    // file instead of ~60): a library folder's unresolved imports came to 0.5 MB of paths.
    std::map<std::string, std::vector<std::string>> unresolved;
    std::vector<DlUser> dl_users;
    std::vector<DlsymCandidate> candidates;
};

// Throws InputError when the exports come from an ELF kernel of another architecture.
void check_same_architecture(const std::vector<ElfSymbols>& programs, const ExportSet& exports);

std::vector<std::string> needed_symbols(const std::vector<ElfSymbols>& programs);

// `keeps` are names or shell globs (fnmatch); `find_candidates` scans .rodata of dl* users.
// Names any input defines: each program's `definitions`, and `defined_imports` (AppInputs'), for
// programs read without their definitions: ids in the table of names the programs share.
SymbolPlan plan_symbols(const std::vector<ElfSymbols>& programs, const ExportSet& exports,
                        const std::vector<std::string>& keeps, bool find_candidates,
                        const std::vector<SymbolNames::Id>& defined_imports = {});

}  // namespace osv
