#include "content_hash.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "error.hpp"

namespace osv {
namespace {

constexpr std::uint64_t multiplier = 0x9E3779B97F4A7C15ull;

std::uint64_t mix(std::uint64_t hash, std::uint64_t word) {
    hash ^= word * multiplier;
    hash = (hash << 31) | (hash >> 33);
    return hash * 0xBF58476D1CE4E5B9ull;
}

}  // namespace

std::string file_fingerprint(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
    struct stat info {};
    ::fstat(fd, &info);
    const std::size_t size = static_cast<std::size_t>(info.st_size);
    std::uint64_t hash = mix(0x243F6A8885A308D3ull, size);
    if (size > 0) {
        void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            ::close(fd);
            throw InputError(path.string() + ": cannot read: " + std::strerror(errno));
        }
        ::madvise(map, size, MADV_SEQUENTIAL);
        const auto* bytes = static_cast<const unsigned char*>(map);
        std::size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i, 8);
            hash = mix(hash, word);
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, bytes + i, size - i);
        hash = mix(hash, tail);
        ::munmap(map, size);
    }
    ::close(fd);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

}  // namespace osv
