#include "content_hash.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "error.hpp"

namespace osv {
namespace {

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

struct DigestFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string file_fingerprint(const std::filesystem::path& path) {
    // read(2), not mmap: a file that shrinks while it is read (a rebuild under way) is then a
    // short read and a changed fingerprint, not a SIGBUS.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(quoted_path(path) + ": cannot open: " + file_error_text(errno));
    const FdCloser closer{fd};
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    const std::unique_ptr<EVP_MD_CTX, DigestFree> context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        throw InputError(quoted_path(path) + ": cannot start SHA-256 (libcrypto failed); check the OpenSSL installation");
    static thread_local unsigned char buffer[1 << 18];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR) continue;
            throw InputError(quoted_path(path) + ": cannot read: " + std::strerror(errno));
        }
        EVP_DigestUpdate(context.get(), buffer, static_cast<std::size_t>(got));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

bool is_fingerprint(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace osv
