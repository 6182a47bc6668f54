#include "folder_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <set>
#include <utility>

#include "error.hpp"

namespace osv {
namespace {

// Folders are opened by their whole path, not with openat() from an open parent. Every later step
// (the ELF reader, the image writers, make and Ninja reading a depfile) opens what the walk returns
// by that path, so the walk accepts exactly the paths that can be opened so — shorter than
// PATH_MAX — and refuses the tree at the first longer one, which would otherwise be dropped or
// fail later with a puzzling message. One folder is open at a time, so a deep tree needs no more
// file descriptors than a flat one; resolving a path costs at most PATH_MAX bytes, and no step
// per folder looks at its ancestors (no canonical(), no relative()): the walk is linear in the
// number of entries. Folders reached twice (through links) are recognised by (st_dev, st_ino).
// A file's real path is its folder's, which the kernel tells for the open folder, and its name;
// canonical() would look up every folder on the way again, for every file (cubic in the depth).

// The real path of an open file, from the kernel (/proc/self/fd); empty when unknown (no /proc,
// longer than the buffer).
std::string real_path_of_fd(int fd) {
    std::string buffer(2 * PATH_MAX, '\0');
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t length = readlink(link.c_str(), buffer.data(), buffer.size());
    if (length <= 0 || static_cast<std::size_t>(length) >= buffer.size() || buffer[0] != '/') return {};
    buffer.resize(static_cast<std::size_t>(length));
    return buffer;
}

// Where a link in an open folder leads, resolved by the kernel; `fallback` when that fails.
std::string real_path_of_link(int folder_fd, const char* name, const std::string& fallback) {
    const int fd = openat(folder_fd, name, O_PATH | O_CLOEXEC);
    if (fd < 0) return fallback;
    std::string real = real_path_of_fd(fd);
    close(fd);
    return real.empty() ? fallback : real;
}

struct PendingFolder {
    std::string path;
    std::string relative;  // empty for the root
};

enum class EntryKind { file, folder, other };

struct Entry {
    std::string name;
    EntryKind kind;
    bool link = false;
};

std::string joined(const std::string& parent, const std::string& name) {
    if (parent.empty()) return name;
    return parent.back() == '/' ? parent + name : parent + "/" + name;
}

// A path of thousands of bytes does not fit a message: its start and end do.
std::string abbreviated(const std::string& path) {
    if (path.size() <= 160) return quoted_path(path);
    return quoted_path(path.substr(0, 80) + "..." + path.substr(path.size() - 60));
}

class OpenFolder {
public:
    explicit OpenFolder(const std::string& path, bool follow_link) {
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
        if (!follow_link) flags |= O_NOFOLLOW;
        const int fd = open(path.c_str(), flags);
        if (fd < 0 || !(dir_ = fdopendir(fd))) {
            const int error = errno;
            if (fd >= 0) close(fd);
            throw FolderWalkError("cannot open the folder " + abbreviated(path) + ": " + file_error_text(error));
        }
    }
    OpenFolder(const OpenFolder&) = delete;
    OpenFolder& operator=(const OpenFolder&) = delete;
    ~OpenFolder() { closedir(dir_); }
    DIR* dir() const { return dir_; }
    int fd() const { return dirfd(dir_); }

private:
    DIR* dir_ = nullptr;
};

class Walker {
public:
    explicit Walker(FolderLinks links) : links_(links) {}

    WalkedTree run(const std::filesystem::path& root) {
        std::vector<PendingFolder> pending = {{root.string(), {}}};
        while (!pending.empty()) {
            const PendingFolder folder = std::move(pending.back());
            pending.pop_back();
            enter(folder, pending);
        }
        return std::move(tree_);
    }

private:
    void enter(const PendingFolder& folder, std::vector<PendingFolder>& pending) {
        const bool root = folder.relative.empty();
        const OpenFolder open(folder.path, root || links_ == FolderLinks::follow);
        struct stat identity {};
        if (fstat(open.fd(), &identity) != 0)
            throw FolderWalkError("cannot read the folder " + abbreviated(folder.path) + ": " + file_error_text(errno));
        if (!entered_.insert({identity.st_dev, identity.st_ino}).second) return;  // met before, through a link
        tree_.folders.push_back(folder.path);
        const std::string real_folder = real_path_of_fd(open.fd());

        std::vector<Entry> entries = read_entries(open, folder.path);
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
        std::vector<PendingFolder> subfolders;
        for (auto& entry : entries) {
            if (entry.kind == EntryKind::other) continue;
            std::string path = joined(folder.path, entry.name);
            if (path.size() >= PATH_MAX)
                throw FolderWalkError("the path " + abbreviated(path) + " is " + std::to_string(path.size()) +
                                      " bytes long, more than the system lets a program open (PATH_MAX, " +
                                      std::to_string(PATH_MAX - 1) + " bytes); shorten the folder names or the nesting");
            std::string relative = joined(folder.relative, entry.name);
            if (entry.kind == EntryKind::file) {
                std::string real = entry.link || real_folder.empty()
                                       ? real_path_of_link(open.fd(), entry.name.c_str(), path)
                                       : joined(real_folder, entry.name);
                tree_.files.push_back({std::move(path), std::move(relative), std::move(real)});
            } else {
                subfolders.push_back({std::move(path), std::move(relative)});
            }
        }
        // The stack pops the last first: push in reverse so subfolders are entered in name order.
        std::move(subfolders.rbegin(), subfolders.rend(), std::back_inserter(pending));
    }

    std::vector<Entry> read_entries(const OpenFolder& open, const std::string& path) const {
        std::vector<Entry> entries;
        for (;;) {
            errno = 0;
            const dirent* entry = readdir(open.dir());
            if (!entry) break;
            const std::string_view name = entry->d_name;
            if (name == "." || name == "..") continue;
            entries.push_back(classified(open.fd(), *entry));
        }
        if (errno != 0)
            throw FolderWalkError("cannot read the folder " + abbreviated(path) + ": " + file_error_text(errno));
        return entries;
    }

    // From the folder's own listing where the file system says (d_type), else by fstatat() relative
    // to the open folder: neither depends on how deep the folder is.
    Entry classified(int folder_fd, const dirent& entry) const {
        Entry out{entry.d_name, EntryKind::other};
        unsigned char type = entry.d_type;
        struct stat st {};
        if (type == DT_UNKNOWN) {
            if (fstatat(folder_fd, entry.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return out;
            type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
        }
        out.link = type == DT_LNK;
        if (type == DT_REG) out.kind = EntryKind::file;
        if (type == DT_DIR) out.kind = EntryKind::folder;
        if (!out.link || fstatat(folder_fd, entry.d_name, &st, 0) != 0) return out;  // dangling, a loop
        if (S_ISREG(st.st_mode)) out.kind = EntryKind::file;
        if (S_ISDIR(st.st_mode) && links_ == FolderLinks::follow) out.kind = EntryKind::folder;
        return out;
    }

    FolderLinks links_;
    std::set<std::pair<dev_t, ino_t>> entered_;
    WalkedTree tree_;
};

}  // namespace

WalkedTree walk_folder(const std::filesystem::path& root, FolderLinks links) { return Walker(links).run(root); }

}  // namespace osv
