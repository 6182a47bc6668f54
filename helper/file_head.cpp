#include "file_head.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace osv {

std::string read_file_head(const std::filesystem::path& path, std::size_t bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return {};
    std::string head(bytes, '\0');
    const ssize_t got = ::read(fd, head.data(), bytes);
    ::close(fd);
    head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return head;
}

}  // namespace osv
