#include "exports.hpp"

#include <algorithm>

#include "error.hpp"
#include "text_input.hpp"
#include "version_script.hpp"

namespace osv {

const char* to_string(ExportSourceFormat format) {
    switch (format) {
        case ExportSourceFormat::elf: return "elf";
        case ExportSourceFormat::version_script: return "version-script";
        case ExportSourceFormat::list: return "list";
    }
    return "unknown";
}

std::vector<std::string> parse_symbol_list(std::string_view text, const std::filesystem::path& origin, bool allow_globs) {
    auto allowed = [&](char c) {
        return is_plain_symbol_name(std::string_view(&c, 1)) || (allow_globs && std::string_view("*?[]!-").find(c) != std::string_view::npos);
    };
    std::vector<std::string> names;
    std::size_t line_number = 0, start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        const auto last = line.find_last_not_of(" \t\r");
        const std::string_view name = line.substr(first, last - first + 1);
        const auto bad = std::find_if_not(name.begin(), name.end(), allowed) - name.begin();
        if (static_cast<std::size_t>(bad) != name.size()) {
            throw InputError(position_message(origin, line_number, first + static_cast<std::size_t>(bad) + 1,
                                              "expected one symbol name per line, found '" + std::string(name) + "'"));
        }
        // "@VERSION" alone names no symbol (and would come back as nothing from a written list).
        if (without_symbol_version(name).empty())
            throw InputError(position_message(origin, line_number, first + 1,
                                              "'" + std::string(name) + "' has a version but no symbol name"));
        names.emplace_back(without_symbol_version(name));
    }
    return names;
}

ExportSourceFormat add_exports_from(const std::filesystem::path& source, ExportSet& into) {
    into.sources.push_back(source);
    if (has_elf_magic(source)) {
        const ElfSymbols kernel = read_elf_symbols(source);
        if (into.arch && !(*into.arch == kernel.arch))
            throw InputError(quoted_path(source) + ": architecture " + kernel.arch.describe() +
                             " differs from the other exports (" + into.arch->describe() + "); use one kernel");
        into.arch = kernel.arch;
        into.names.insert(kernel.definitions.begin(), kernel.definitions.end());
        return ExportSourceFormat::elf;
    }
    const std::string text = read_text_file(source);
    if (text.find('\0') != std::string::npos)
        throw InputError(quoted_path(source) + ": binary data that is not ELF; pass a kernel ELF, a version script or a symbol list");
    if (looks_like_version_script(text)) {
        for (auto& name : parse_version_script_globals(text, source)) into.names.insert(std::move(name));
        return ExportSourceFormat::version_script;
    }
    for (auto& name : parse_symbol_list(text, source)) into.names.insert(std::move(name));
    return ExportSourceFormat::list;
}

}  // namespace osv
