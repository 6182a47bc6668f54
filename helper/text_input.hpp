// Reading small text inputs (lists, scripts, manifests) whole, with errors that name the file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace osv {

// The largest text input read_text_file accepts (64 MB; OSv's all.symbols is well under 1 MB).
inline constexpr std::size_t max_text_input_bytes = std::size_t{64} << 20;

// Reads a whole file; throws InputError naming the file when it is missing, unreadable or larger
// than max_text_input_bytes (found while reading, so a growing file is caught too).
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

// True when a symbol name can be written into a version script or a one-name-a-line list and read
// back as exactly that name: no '"', no '\\' and no control characters (ld's version-script
// quotes have no escapes, and a newline would split a line of any output).
bool is_writable_symbol_name(std::string_view name);

// The name with '"', '\\' and control characters escaped C-style (\n, \t, \r, \xNN), for one-line error messages.
std::string printable_name(std::string_view name);

// True when a name holds a control character or a double quote: messages show it quoted (quoted_path in error.hpp).
bool needs_quoting(std::string_view name);

// The message with its control characters escaped, quotes and backslashes left alone: what the
// command line prints, so that no message spans two lines whatever the names in it.
std::string single_line(std::string_view message);

// The error for a name is_writable_symbol_name refuses, naming where it came from.
std::string unwritable_name_message(const std::string& where, std::string_view name);

}  // namespace osv
