#include "guarded_mapping.hpp"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace osv {

FileWindow::FileWindow(int fd, std::uint64_t offset, std::size_t size) : size_(size) {
    if (size == 0) return;
    // mmap() wants a page-aligned offset: map from the page that holds `offset`.
    static const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t start = offset - offset % page;
    mapping_size_ = static_cast<std::size_t>(offset - start) + size;
    mapping_ = ::mmap(nullptr, mapping_size_, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(start));
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::system_error(errno, std::generic_category(), "mmap");
    }
    data_ = static_cast<const char*>(mapping_) + (offset - start);
}

FileWindow::~FileWindow() {
    if (mapping_) ::munmap(mapping_, mapping_size_);
}

namespace {

struct Guard {
    const char* begin;
    const char* end;
    sigjmp_buf jump;
};
thread_local Guard* active_guard = nullptr;

void on_sigbus(int, siginfo_t* info, void*) {
    Guard* guard = active_guard;
    const char* address = static_cast<const char*>(info->si_addr);
    if (guard && address >= guard->begin && address < guard->end) siglongjmp(guard->jump, 1);
    // Not a guarded read: the default action, as if this handler were not there (the faulting
    // instruction runs again and faults again).
    ::signal(SIGBUS, SIG_DFL);
}

void install_handler_once() {
    static const bool installed = [] {
        struct sigaction action = {};
        action.sa_sigaction = on_sigbus;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        return ::sigaction(SIGBUS, &action, nullptr) == 0;
    }();
    if (!installed) throw std::system_error(errno, std::generic_category(), "sigaction(SIGBUS)");
}

}  // namespace

bool read_guarded(const FileWindow& window, const std::function<void()>& read) {
    install_handler_once();
    Guard guard{window.data(), window.data() + window.size(), {}};
    // Saves the signal mask too (the 1), so the jump out of the handler unblocks SIGBUS again.
    if (sigsetjmp(guard.jump, 1) != 0) {
        active_guard = nullptr;
        return false;
    }
    active_guard = &guard;
    try {
        read();
    } catch (...) {
        active_guard = nullptr;
        throw;
    }
    active_guard = nullptr;
    return true;
}

}  // namespace osv
