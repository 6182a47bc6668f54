#include "text_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "error.hpp"

namespace osv {

std::string read_text_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(quoted_path(path) + ": is a directory, expected a file");
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw InputError(quoted_path(path) + ": not a regular file (a pipe or device?); pass a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(quoted_path(path) + ": cannot open: " + file_error_text(errno) + "; check the path");
    // Lists, scripts, manifests and kits are small; a huge file is a wrong argument (a disk image
    // passed as --exports), not something to read into memory whole.
    std::string content;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (content.size() > max_text_input_bytes)
            throw InputError(quoted_path(path) + ": larger than " + std::to_string(max_text_input_bytes >> 20) +
                             " MB, too large for a list, script, manifest or kit; is it the right file?");
    }
    if (in.bad()) throw InputError(quoted_path(path) + ": read error: " + std::strerror(errno));
    return content;
}

std::string position_message(const std::filesystem::path& path, std::size_t line, std::size_t column,
                             std::string_view what) {
    return quoted_path(path) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + std::string(what);
}

std::string_view without_symbol_version(std::string_view name) {
    const auto at = name.find('@');
    return at == std::string_view::npos ? name : name.substr(0, at);
}

bool is_glob_pattern(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

bool is_plain_symbol_name(std::string_view name) {
    if (name.empty()) return false;
    // What C, C++ (mangled), Rust and versioned names are made of; anything else gets quoted.
    for (unsigned char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '$' || c == '@'))
            return false;
    return true;
}

bool is_writable_symbol_name(std::string_view name) {
    // Every dynamic symbol of every input passes here (a library folder: 570,000 names, 50 bytes
    // on average): sixteen bytes at a time with vector compares, the last sixteen overlapping.
    using Bytes = unsigned char __attribute__((vector_size(16)));
    const auto clean = [&](std::size_t at) {
        Bytes v;
        std::memcpy(&v, name.data() + at, 16);
        const Bytes bad = (v < 0x20) | (v == '"') | (v == '\\') | (v == 0x7f);
        std::uint64_t halves[2];
        std::memcpy(halves, &bad, 16);
        return (halves[0] | halves[1]) == 0;
    };
    if (name.size() >= 16) {
        for (std::size_t i = 0; i + 16 < name.size(); i += 16)
            if (!clean(i)) return false;
        return clean(name.size() - 16);
    }
    for (const unsigned char c : name)
        if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) return false;
    return true;
}

namespace {

// A control character as C writes it: \n, \t, \r, or \xNN.
void append_escaped_control(std::string& text, unsigned char c) {
    if (c == '\n') {
        text += "\\n";
    } else if (c == '\t') {
        text += "\\t";
    } else if (c == '\r') {
        text += "\\r";
    } else {
        static constexpr char hex[] = "0123456789abcdef";
        text += "\\x";
        text += hex[c >> 4];
        text += hex[c & 15];
    }
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string printable_name(std::string_view name) {
    std::string text;
    for (unsigned char c : name) {
        if (c == '"' || c == '\\') {
            text += '\\';
            text += static_cast<char>(c);
        } else if (is_control(c)) {
            append_escaped_control(text, c);
        } else {
            text += static_cast<char>(c);
        }
    }
    return text;
}

bool needs_quoting(std::string_view name) {
    return std::any_of(name.begin(), name.end(), [](unsigned char c) { return c == '"' || is_control(c); });
}

std::string single_line(std::string_view message) {
    std::string text;
    for (unsigned char c : message)
        if (is_control(c))
            append_escaped_control(text, c);
        else
            text += static_cast<char>(c);
    return text;
}

std::string unwritable_name_message(const std::string& where, std::string_view name) {
    return where + ": the symbol \"" + printable_name(name) +
           "\" has a quote, backslash or control character, which no version script or list can carry; "
           "rename it or leave this file out";
}

}  // namespace osv
