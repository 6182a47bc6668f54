#include "atomic_output.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "error.hpp"

namespace osv {
namespace {

[[noreturn]] void io_failure(const std::filesystem::path& path, const char* what) {
    throw InputError(path.string() + ": cannot " + what + ": " + std::strerror(errno) +
                     "; check the folder exists and is writable");
}

// Whole-file comparison without reading either file into memory twice.
bool same_content(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    const auto size_a = std::filesystem::file_size(a, ec);
    if (ec) return false;
    const auto size_b = std::filesystem::file_size(b, ec);
    if (ec || size_a != size_b) return false;
    if (size_a == 0) return true;
    const int fd_a = ::open(a.c_str(), O_RDONLY | O_CLOEXEC);
    const int fd_b = ::open(b.c_str(), O_RDONLY | O_CLOEXEC);
    bool same = false;
    if (fd_a >= 0 && fd_b >= 0) {
        void* map_a = ::mmap(nullptr, size_a, PROT_READ, MAP_PRIVATE, fd_a, 0);
        void* map_b = ::mmap(nullptr, size_b, PROT_READ, MAP_PRIVATE, fd_b, 0);
        if (map_a != MAP_FAILED && map_b != MAP_FAILED) same = std::memcmp(map_a, map_b, size_a) == 0;
        if (map_a != MAP_FAILED) ::munmap(map_a, size_a);
        if (map_b != MAP_FAILED) ::munmap(map_b, size_b);
    }
    if (fd_a >= 0) ::close(fd_a);
    if (fd_b >= 0) ::close(fd_b);
    return same;
}

bool has_content(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) != content.size() || ec) return false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    std::string existing(content.size(), '\0');
    std::size_t got = 0;
    while (got < existing.size()) {
        const ssize_t n = ::read(fd, existing.data() + got, existing.size() - got);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return got == content.size() && existing == content;
}

// Devices and pipes (-o /dev/null, -o /dev/stderr) are written in place: renaming a file over
// them would replace the device itself.
bool is_special_file(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    return !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
           !std::filesystem::is_directory(status);
}

// Writes all of `content` to `target`; errors name `reported` (the output the user asked for).
void write_all(const std::filesystem::path& target, std::string_view content, const std::filesystem::path& reported,
               int flags) {
    const int fd = ::open(target.c_str(), flags | O_CLOEXEC);
    if (fd < 0) io_failure(reported, "write");
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            ::close(fd);
            io_failure(reported, "write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) io_failure(reported, "write");
}

std::string read_whole(const std::filesystem::path& path) {
    std::string content;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) io_failure(path, "read");
    char buffer[65536];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) content.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return content;
}

}  // namespace

bool is_stdout(const std::filesystem::path& path) { return path == "-"; }

TemporaryFile::TemporaryFile(const std::filesystem::path& beside) {
    std::string pattern = (beside.parent_path() / ("." + beside.filename().string() + ".tmp.XXXXXX")).string();
    if (beside.parent_path().empty()) pattern = "." + beside.filename().string() + ".tmp.XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) io_failure(beside, "create a temporary file beside it");
    ::close(fd);
    path_ = pattern;
}

TemporaryFile::~TemporaryFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

bool replace_if_changed(const std::filesystem::path& temporary, const std::filesystem::path& path) {
    if (is_special_file(path)) {
        write_all(path, read_whole(temporary), path, O_WRONLY);
        std::error_code ec;
        std::filesystem::remove(temporary, ec);
        return true;
    }
    if (same_content(temporary, path)) {
        std::error_code ec;
        std::filesystem::remove(temporary, ec);
        return false;
    }
    // mkstemp creates 0600; give the result the permissions an ordinary new file would get.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    const bool executable = ::access(temporary.c_str(), X_OK) == 0;
    ::chmod(temporary.c_str(), (executable ? 0777 : 0666) & ~mask);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) io_failure(path, "replace");
    return true;
}

bool write_if_changed(const std::filesystem::path& path, std::string_view content) {
    if (is_special_file(path)) {
        write_all(path, content, path, O_WRONLY);
        return true;
    }
    if (has_content(path, content)) return false;
    TemporaryFile temporary(path);
    write_all(temporary.path(), content, path, O_WRONLY | O_TRUNC);
    return replace_if_changed(temporary.path(), path);
}

void write_outputs(const std::vector<PendingOutput>& outputs) {
    for (const auto& output : outputs) {
        if (is_stdout(output.path)) {
            std::cout << output.content << std::flush;
            continue;
        }
        write_if_changed(output.path, output.content);
    }
}

}  // namespace osv
