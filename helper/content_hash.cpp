#include "content_hash.hpp"

#include <fcntl.h>
#include <nettle/sha2.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

#include "error.hpp"

namespace osv {
namespace {

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

}  // namespace

std::string file_fingerprint(const std::filesystem::path& path) {
    // read(2), not mmap: a file that shrinks while it is read (a rebuild under way) is then a
    // short read and a changed fingerprint, not a SIGBUS.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(quoted_path(path) + ": cannot open: " + file_error_text(errno));
    const FdCloser closer{fd};
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    // nettle, not libcrypto: the same digest from a 310 KB library instead of 4.6 MB (1.4 MB of it
    // resident), which every command loads although most never hash. With SHA-NI it is within 10%
    // of libcrypto's speed (1.2 GB/s against 1.3 from the page cache): 2 ms on OSv's 22 MB of inputs.
    sha256_ctx context;
    sha256_init(&context);
    // On the heap, for this call: a static or thread_local buffer would be zeroed, and so resident,
    // at the start of every command, most of which never hash.
    constexpr std::size_t buffer_size = 1 << 18;
    const std::unique_ptr<std::uint8_t[]> buffer(new std::uint8_t[buffer_size]);
    for (;;) {
        const ssize_t got = ::read(fd, buffer.get(), buffer_size);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR) continue;
            throw InputError(quoted_path(path) + ": cannot read: " + std::strerror(errno));
        }
        sha256_update(&context, static_cast<std::size_t>(got), buffer.get());
    }
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&context, sizeof digest, digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < sizeof digest; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

bool is_fingerprint(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace osv
