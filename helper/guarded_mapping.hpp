// Reading part of a file through mmap() without dying of SIGBUS. Scanning read-only data through
// pread() copies every byte into a buffer first: for a library folder's dlopen() users that is
// 140 MB of .rodata, most of the analysis' system time. A mapping reads the page cache in place,
// but a page past the end of a file that shrank after it was mapped raises SIGBUS on access, which
// would kill the tool where pread() just returns less (a build replacing a library under it). So
// the bytes are read under a guard that turns that SIGBUS into a `false` return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace osv {

// A read-only mapping of the bytes [offset, offset + size) of an open file; mapping errors throw
// std::system_error. A window, not the whole file: mapped pages count in the resident memory of
// whoever touched them, so scans map a piece at a time.
class FileWindow {
public:
    FileWindow(int fd, std::uint64_t offset, std::size_t size);
    ~FileWindow();
    FileWindow(const FileWindow&) = delete;
    FileWindow& operator=(const FileWindow&) = delete;

    const char* data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    void* mapping_ = nullptr;
    std::size_t mapping_size_ = 0;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

// Runs `read`, which reads `window`'s bytes. Returns false when the file ended under a byte it
// touched: `read` stopped right there (siglongjmp), so it must leave nothing half-done that matters
// then: the callers' only state is what they collected so far, which they drop, and a string being
// copied in that instant is leaked, on a path that ends in an error.
bool read_guarded(const FileWindow& window, const std::function<void()>& read);

}  // namespace osv
