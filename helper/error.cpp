#include "error.hpp"

#include <cerrno>
#include <cstring>

#include "text_input.hpp"

namespace osv {

std::string quoted_text(std::string_view name) {
    if (!needs_quoting(name)) return std::string(name);
    return "\"" + printable_name(name) + "\"";
}

std::string quoted_path(const std::filesystem::path& path) { return quoted_text(path.native()); }

std::string file_error_text(int error) {
    if (error == ELOOP) return "too many levels of symbolic links (a link loop?)";
    return std::strerror(error);
}

std::string missing_file_text(const std::error_code& ec, const char* not_found) {
    if (!ec || ec == std::errc::no_such_file_or_directory) return not_found;
    return file_error_text(ec.value());
}

}  // namespace osv
