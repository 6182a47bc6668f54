#include "text_input.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "error.hpp"

namespace osv {

std::string read_text_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path.string() + ": is a directory, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string() + ": cannot open: " + std::strerror(errno) + "; check the path");
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw InputError(path.string() + ": read error: " + std::strerror(errno));
    return std::move(content).str();
}

std::string position_message(const std::filesystem::path& path, std::size_t line, std::size_t column,
                             std::string_view what) {
    return path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + std::string(what);
}

std::string_view without_symbol_version(std::string_view name) {
    const auto at = name.find('@');
    return at == std::string_view::npos ? name : name.substr(0, at);
}

bool is_plain_symbol_name(std::string_view name) {
    if (name.empty()) return false;
    for (unsigned char c : name)
        if (c <= ' ' || c == ';' || c == '{' || c == '}' || c == '"' || c == '#' || c >= 0x7f) return false;
    return true;
}

}  // namespace osv
