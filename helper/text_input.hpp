// Reading small text inputs (lists, scripts, manifests) whole, with errors that name the file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace osv {

// Reads a whole file; throws InputError naming the file when it is missing or unreadable.
std::string read_text_file(const std::filesystem::path& path);

// "file:line:col: what" — the position format of every text-format error.
std::string position_message(const std::filesystem::path& path, std::size_t line, std::size_t column,
                             std::string_view what);

// Removes the "@VERSION" or "@@VERSION" suffix of a symbol name ("memcpy@GLIBC_2.14" -> "memcpy").
std::string_view without_symbol_version(std::string_view name);

// True when a keep entry or version-script pattern is a shell glob rather than a name.
bool is_glob_pattern(std::string_view text);

// True when a symbol name may be written bare in a list or version script: [A-Za-z0-9_.$@]+.
bool is_plain_symbol_name(std::string_view name);

}  // namespace osv
