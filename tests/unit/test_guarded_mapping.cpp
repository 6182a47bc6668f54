// FileWindow and read_guarded(): a window reads the same bytes pread() would, from any offset, and a
// file cut short under a mapped window ends the read with `false` instead of killing the process
// with SIGBUS (a library rebuilt while the analysis scans its .rodata).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include "guarded_mapping.hpp"
#include "test_support.hpp"

using namespace osv;
using namespace osv::test;

namespace {

struct OpenFile {
    explicit OpenFile(const fs::path& path) : fd(::open(path.c_str(), O_RDWR | O_CLOEXEC)) { REQUIRE(fd >= 0); }
    ~OpenFile() { ::close(fd); }
    int fd;
};

std::string pattern(std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + i % 26);
    return bytes;
}

}  // namespace

TEST_CASE("guarded mapping: a window at an unaligned offset holds the file's bytes") {
    const fs::path path = scratch_dir() / "window";
    const std::string bytes = pattern(3 * 4096 + 123);
    write_file(path, bytes);
    OpenFile file(path);
    const FileWindow window(file.fd, 5000, 7000);
    REQUIRE(window.size() == 7000);
    std::string seen;
    CHECK(read_guarded(window, [&] { seen.assign(window.data(), window.size()); }));
    CHECK(seen == bytes.substr(5000, 7000));
}

TEST_CASE("guarded mapping: a file cut short under the window is a false return, not SIGBUS") {
    const fs::path path = scratch_dir() / "shrinking";
    write_file(path, pattern(4 * 4096));
    OpenFile file(path);
    const FileWindow window(file.fd, 100, 4 * 4096 - 100);
    REQUIRE(::ftruncate(file.fd, 4096) == 0);  // pages 2 to 4 are gone: touching them raises SIGBUS
    volatile std::size_t read_bytes = 0;  // in memory, not a register, when the jump comes
    CHECK_FALSE(read_guarded(window, [&] {
        for (std::size_t i = 0; i < window.size(); ++i) read_bytes = read_bytes + (window.data()[i] != 0);
    }));
    CHECK(read_bytes == 4096 - 100);  // stopped at the first byte past the new end
    // The guard is armed again for the next read, and what is left of the file still reads.
    char first = 0;
    CHECK(read_guarded(window, [&] { first = window.data()[0]; }));
    CHECK(first == pattern(101)[100]);
    CHECK_FALSE(read_guarded(window, [&] { first = window.data()[window.size() - 1]; }));
}
