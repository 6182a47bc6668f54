// The kernel's export universe: the names an app may import from it. Read from whatever the
// user has — the kernel ELF itself, its generic version script, a plain list such as OSv's
// all.symbols, or a kernel kit — recognised by content, not by file name.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "elf_file.hpp"

namespace osv {

struct ExportSet {
    std::set<std::string, std::less<>> names;
    std::optional<ElfArch> arch;                   // known when an ELF kernel or a kit was read
    std::vector<std::filesystem::path> sources;    // every file read, for dependency tracking
};

enum class ExportSourceFormat { elf, version_script, list };
const char* to_string(ExportSourceFormat format);

// Reads one source (detected by content) into `into`; several calls give the union.
ExportSourceFormat add_exports_from(const std::filesystem::path& source, ExportSet& into);

// Plain lists: one name per line, '#' comments, version suffixes removed. Errors carry file:line:col.
// Keep files may also hold shell globs (allow_globs).
std::vector<std::string> parse_symbol_list(std::string_view text, const std::filesystem::path& origin,
                                           bool allow_globs = false);

}  // namespace osv
