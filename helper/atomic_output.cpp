#include "atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "error.hpp"
#include "process.hpp"

namespace osv {
namespace {

[[noreturn]] void io_failure(const std::filesystem::path& path, const char* what) {
    throw InputError(quoted_path(path) + ": cannot " + what + ": " + std::strerror(errno) +
                     "; check the folder exists and is writable");
}

// Whole-file comparison in chunks with read(2): not mmap, since a file truncated meanwhile (an
// output another build rewrites) would raise SIGBUS.
bool same_content(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    const auto size_a = std::filesystem::file_size(a, ec);
    if (ec) return false;
    const auto size_b = std::filesystem::file_size(b, ec);
    if (ec || size_a != size_b) return false;
    if (size_a == 0) return true;
    const int fd_a = ::open(a.c_str(), O_RDONLY | O_CLOEXEC);
    const int fd_b = ::open(b.c_str(), O_RDONLY | O_CLOEXEC);
    bool same = fd_a >= 0 && fd_b >= 0;
    // On the heap, for this call: static buffers would be zeroed, and so resident, at every start.
    constexpr std::size_t chunk_size = 1 << 16;
    const std::unique_ptr<char[]> chunks(new char[2 * chunk_size]);
    char* const chunk_a = chunks.get();
    char* const chunk_b = chunks.get() + chunk_size;
    const auto fill = [](int fd, char* buffer, std::size_t size) {
        std::size_t got = 0;
        while (got < size) {
            const ssize_t n = ::read(fd, buffer + got, size - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        return got;
    };
    while (same) {
        const std::size_t got_a = fill(fd_a, chunk_a, chunk_size);
        const std::size_t got_b = fill(fd_b, chunk_b, chunk_size);
        same = got_a == got_b && std::memcmp(chunk_a, chunk_b, got_a) == 0;
        if (got_a < chunk_size) break;
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

// Temporaries still on disk, so that a build tool's Ctrl-C or kill (SIGINT, SIGTERM, SIGHUP) does
// not leave hidden half-files behind: the handler unlinks them and dies of the same signal. Fixed
// storage, because a signal handler may not allocate.
constexpr int temporary_slots = 16;
char temporary_paths[temporary_slots][PATH_MAX];
volatile std::sig_atomic_t temporary_in_use[temporary_slots];

void remove_temporaries_and_die(int signal_number) {
    // First the linker (or strip) at work: it could otherwise write a temporary after its removal.
    stop_running_child();
    for (int i = 0; i < temporary_slots; ++i)
        if (temporary_in_use[i]) ::unlink(temporary_paths[i]);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

void track_temporary(const std::string& path) {
    static const bool installed = [] {
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal_number, remove_temporaries_and_die);
        return true;
    }();
    (void)installed;
    if (path.size() >= PATH_MAX) return;
    for (int i = 0; i < temporary_slots; ++i)
        if (!temporary_in_use[i]) {
            std::memcpy(temporary_paths[i], path.c_str(), path.size() + 1);
            temporary_in_use[i] = 1;
            return;
        }
}

void untrack_temporary(const std::string& path) {
    for (int i = 0; i < temporary_slots; ++i)
        if (temporary_in_use[i] && path == temporary_paths[i]) temporary_in_use[i] = 0;
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
    track_temporary(std::filesystem::absolute(path_).string());
}

TemporaryFile::TemporaryFile(TemporaryFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TemporaryFile::~TemporaryFile() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    untrack_temporary(std::filesystem::absolute(path_).string());
}

void OutputBatch::add(const std::filesystem::path& path, std::string content) {
    texts_.push_back({path, std::move(content)});
}

void OutputBatch::add_file(const std::filesystem::path& path, TemporaryFile finished) {
    files_.push_back({path, std::move(finished)});
}

template <typename Paths>
void OutputBatch::refuse_overlap_with(const Paths& inputs) const {
    // Only files are replaced: standard output and devices (-o /dev/null) protect nothing, and
    // with no other output the inputs need no stat() at all.
    std::vector<std::filesystem::path> outputs;
    for (const auto& text : texts_)
        if (!is_stdout(text.path) && !is_special_file(text.path)) outputs.push_back(text.path);
    for (const auto& file : files_)
        if (!is_stdout(file.path) && !is_special_file(file.path)) outputs.push_back(file.path);
    if (outputs.empty()) return;
    // Inputs are told apart from outputs by identity (st_dev, st_ino), one stat() each: a folder
    // walk gives thousands of inputs, and weakly_canonical() looks up every folder on the way again
    // for each (cubic in a deep tree's depth). An input that is not there (yet) and the few outputs
    // among themselves are compared by path.
    auto identity = [](const char* path) -> std::optional<std::pair<dev_t, ino_t>> {
        struct stat st {};
        if (::stat(path, &st) != 0) return std::nullopt;
        return std::pair{st.st_dev, st.st_ino};
    };
    auto key = [](const std::filesystem::path& p) {
        std::error_code ec;
        auto canonical = std::filesystem::weakly_canonical(p, ec);
        return ec ? p.lexically_normal() : canonical;
    };
    std::set<std::pair<dev_t, ino_t>> inputs_seen;
    std::set<std::filesystem::path> absent_inputs, outputs_seen;
    for (const auto& input : inputs)
        if (const auto id = identity(input.c_str()))
            inputs_seen.insert(*id);
        else
            absent_inputs.insert(key(input));
    for (const auto& output : outputs) {
        const auto id = identity(output.c_str());
        if ((id && inputs_seen.count(*id)) || absent_inputs.count(key(output)))
            throw UsageError("output '" + quoted_path(output) + "' is also an input; write it elsewhere");
        if (!outputs_seen.insert(key(output)).second)
            throw UsageError("'" + quoted_path(output) + "' is named as two outputs; give each its own file");
    }
}

void OutputBatch::refuse_overlap(const std::vector<std::filesystem::path>& inputs) const { refuse_overlap_with(inputs); }
void OutputBatch::refuse_overlap(const std::vector<std::string>& inputs) const { refuse_overlap_with(inputs); }

namespace {

// Checked for every output before any is written, so one bad destination leaves all as they were.
// A symbolic link is refused rather than replaced or written through: replacing it would silently
// unlink what the user pointed at, writing through could land anywhere. Links to devices
// (/dev/stderr -> /proc/self/fd/2) are written in place like the devices themselves.
void check_destination(const std::filesystem::path& path) {
    std::error_code ec;
    const auto link_status = std::filesystem::symlink_status(path, ec);
    if (!ec && std::filesystem::is_symlink(link_status) && !is_special_file(path))
        throw InputError(quoted_path(path) + ": is a symbolic link; name the file itself (outputs are replaced atomically, "
                                         "never written through a link)");
    if (std::filesystem::is_directory(path, ec)) throw InputError(quoted_path(path) + ": is a folder; name a file to write");
}

}  // namespace

std::set<std::filesystem::path> OutputBatch::commit() {
    for (const auto& text : texts_)
        if (!is_stdout(text.path)) check_destination(text.path);
    for (const auto& file : files_) check_destination(file.path);

    // 1. Everything that changes gets its bytes beside its destination.
    struct Move {
        std::filesystem::path temporary, destination;
    };
    std::vector<TemporaryFile> written;
    std::vector<Move> moves;
    std::vector<const Text*> devices, standard_output;
    for (const auto& text : texts_) {
        if (is_stdout(text.path)) standard_output.push_back(&text);
        else if (is_special_file(text.path)) devices.push_back(&text);
        else if (!has_content(text.path, text.content)) {
            written.emplace_back(text.path);
            write_all(written.back().path(), text.content, text.path, O_WRONLY | O_TRUNC);
            moves.push_back({written.back().path(), text.path});
        }
    }
    for (auto& file : files_)
        if (is_special_file(file.path) || !same_content(file.finished.path(), file.path))
            moves.push_back({file.finished.path(), file.path});

    // 2. Into place. mkstemp creates 0600: a replaced file keeps its permission bits (someone may
    // have set them on purpose); a new one gets what a new file would get.
    std::set<std::filesystem::path> changed;
    const mode_t mask = ::umask(0);
    ::umask(mask);
    for (const auto& move : moves) {
        if (is_special_file(move.destination)) {
            write_all(move.destination, read_whole(move.temporary), move.destination, O_WRONLY);
        } else {
            struct stat existing {};
            const bool executable = ::access(move.temporary.c_str(), X_OK) == 0;
            if (::stat(move.destination.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
                ::chmod(move.temporary.c_str(), existing.st_mode & 07777);
            else
                ::chmod(move.temporary.c_str(), (executable ? 0777 : 0666) & ~mask);
            if (std::rename(move.temporary.c_str(), move.destination.c_str()) != 0) io_failure(move.destination, "replace");
        }
        changed.insert(move.destination);
    }
    for (const Text* device : devices) write_all(device->path, device->content, device->path, O_WRONLY);
    files_.clear();  // the temporaries of unchanged or device outputs go now
    for (const Text* text : standard_output) {
        std::cout << text->content << std::flush;
        if (!std::cout) throw InputError("standard output: write error; check the disk or the pipe it goes to");
    }
    return changed;
}

bool write_if_changed(const std::filesystem::path& path, const std::string& content) {
    OutputBatch batch;
    batch.add(path, content);
    return !batch.commit().empty();
}

}  // namespace osv
