#include "tar_archive.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "error.hpp"
#include "libarchive_loader.hpp"

namespace osv {
namespace {

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

std::string archive_message(archive* a) {
    const char* text = libarchive().archive_error_string(a);
    return text ? text : "unknown error";
}

// A member name that stays inside the folder it is unpacked into.
bool is_safe_member_name(std::string_view name) {
    if (name.empty() || name.front() == '/') return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = std::min(name.find('/', start), name.size());
        const auto part = name.substr(start, end - start);
        if (part == "..") return false;
        start = end + 1;
    }
    return true;
}

}  // namespace

void write_tar_xz(std::vector<ArchiveMember> members, const std::filesystem::path& output) {
    const LibArchive& la = libarchive();
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    ArchivePtr writer(la.archive_write_new(), la.archive_write_free);
    la.archive_write_set_format_pax_restricted(writer.get());
    la.archive_write_add_filter_xz(writer.get());
    if (la.archive_write_open_filename(writer.get(), output.c_str()) != ARCHIVE_OK)
        throw InputError(quoted_path(output) + ": cannot write: " + archive_message(writer.get()));
    std::vector<char> buffer(1 << 16);
    for (const auto& member : members) {
        EntryPtr entry(la.archive_entry_new(), la.archive_entry_free);
        la.archive_entry_set_pathname(entry.get(), member.name.c_str());
        la.archive_entry_set_mtime(entry.get(), 0, 0);
        la.archive_entry_set_uid(entry.get(), 0);
        la.archive_entry_set_gid(entry.get(), 0);
        if (member.source.empty()) {
            la.archive_entry_set_filetype(entry.get(), AE_IFDIR);
            la.archive_entry_set_perm(entry.get(), 0755);
            if (la.archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK)
                throw InputError(quoted_path(output) + ": cannot write '" + member.name + "': " + archive_message(writer.get()));
            continue;
        }
        const int fd = ::open(member.source.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat info {};
        if (fd < 0 || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
            if (fd >= 0) ::close(fd);
            throw InputError(quoted_path(member.source) + ": cannot read a regular file to bundle: " + std::strerror(errno));
        }
        la.archive_entry_set_filetype(entry.get(), AE_IFREG);
        la.archive_entry_set_perm(entry.get(), (info.st_mode & 0111) ? 0755 : 0644);
        la.archive_entry_set_size(entry.get(), info.st_size);
        if (la.archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK) {
            ::close(fd);
            throw InputError(quoted_path(output) + ": cannot write '" + member.name + "': " + archive_message(writer.get()));
        }
        off_t left = info.st_size;
        while (left > 0) {
            const ssize_t got = ::read(fd, buffer.data(), std::min<std::size_t>(buffer.size(), static_cast<std::size_t>(left)));
            if (got <= 0) {
                ::close(fd);
                throw InputError(quoted_path(member.source) + ": changed or unreadable while bundling; rebuild, then bundle again");
            }
            if (la.archive_write_data(writer.get(), buffer.data(), static_cast<std::size_t>(got)) != got) {
                ::close(fd);
                throw InputError(quoted_path(output) + ": cannot write '" + member.name + "': " + archive_message(writer.get()));
            }
            left -= got;
        }
        ::close(fd);
    }
    if (la.archive_write_close(writer.get()) != ARCHIVE_OK)
        throw InputError(quoted_path(output) + ": cannot finish: " + archive_message(writer.get()));
}

void extract_tar_safely(const std::filesystem::path& archive_path, const std::filesystem::path& into) {
    const LibArchive& la = libarchive();
    const std::string what_to_do = "; the bundle is damaged or was not made by 'osv-symbols kit bundle': make it again";
    ArchivePtr reader(la.archive_read_new(), la.archive_read_free);
    la.archive_read_support_filter_xz(reader.get());
    la.archive_read_support_format_tar(reader.get());
    if (la.archive_read_open_filename(reader.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK)
        throw InputError(quoted_path(archive_path) + ": truncated or corrupted (" + archive_message(reader.get()) + ")" + what_to_do);
    archive_entry* entry = nullptr;
    std::vector<char> buffer(1 << 16);
    for (;;) {
        const int status = la.archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status != ARCHIVE_OK)
            throw InputError(quoted_path(archive_path) + ": truncated or corrupted (" + archive_message(reader.get()) + ")" + what_to_do);
        const char* raw_name = la.archive_entry_pathname(entry);
        std::string name = raw_name ? raw_name : "";
        while (name.size() > 1 && name.back() == '/') name.pop_back();
        if (!is_safe_member_name(name))
            throw InputError(quoted_path(archive_path) + ": member '" + name + "' would land outside the bundle's folder" + what_to_do);
        const auto type = la.archive_entry_filetype(entry);
        if (type != AE_IFREG && type != AE_IFDIR)
            throw InputError(quoted_path(archive_path) + ": member '" + name + "' is not a regular file or folder (links and devices are refused)" + what_to_do);
        if (la.archive_entry_hardlink(entry))
            throw InputError(quoted_path(archive_path) + ": member '" + name + "' is a hard link (links are refused)" + what_to_do);
        const auto target = into / name;
        std::error_code ec;
        if (type == AE_IFDIR) {
            std::filesystem::create_directories(target, ec);
            if (ec) throw InputError(quoted_path(target) + ": cannot create: " + ec.message());
            continue;
        }
        std::filesystem::create_directories(target.parent_path(), ec);
        if (ec) throw InputError(quoted_path(target.parent_path()) + ": cannot create: " + ec.message());
        const mode_t mode = (la.archive_entry_perm(entry) & 0111) ? 0755 : 0644;
        // O_EXCL and O_NOFOLLOW: a member never replaces or follows anything already there.
        const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
            throw InputError(quoted_path(archive_path) + ": member '" + name + "' cannot be unpacked (" + std::strerror(errno) + ")" + what_to_do);
        for (;;) {
            const la_ssize_t got = la.archive_read_data(reader.get(), buffer.data(), buffer.size());
            if (got == 0) break;
            if (got < 0 || ::write(fd, buffer.data(), static_cast<std::size_t>(got)) != got) {
                ::close(fd);
                throw InputError(quoted_path(archive_path) + ": truncated or corrupted at '" + name + "' (" +
                                 archive_message(reader.get()) + ")" + what_to_do);
            }
        }
        ::close(fd);
    }
}

}  // namespace osv
