// libarchive, loaded when a command first needs it (a kit bundle is made or unpacked) rather than
// when osv-symbols starts: with its dependencies (libxml2, ICU, the compressors) it is 1.7 MB of
// resident memory that the symbol analysis, most of what the tool runs, never uses. The build
// takes only libarchive's headers; the functions come from dlsym into one table, typed by the
// headers' own declarations, so the compiler still checks every call.
#pragma once

#include <archive.h>
#include <archive_entry.h>

// The soname below is libarchive 3's; another major version would have another.
#if ARCHIVE_VERSION_NUMBER < 3000000 || ARCHIVE_VERSION_NUMBER >= 4000000
#error "osv-symbols loads libarchive.so.13 (libarchive 3.x); these headers are another major version"
#endif

namespace osv {

inline constexpr const char* libarchive_soname = "libarchive.so.13";

// Every libarchive function the tool calls (helper/kernel/tar_archive.cpp). One list, so that a
// function is declared, looked up and named in error messages the same way.
#define OSV_LIBARCHIVE_FUNCTIONS(X)                                                                                   \
    X(archive_error_string)                                                                                           \
    X(archive_write_new) X(archive_write_free) X(archive_write_set_format_pax_restricted)                             \
    X(archive_write_add_filter_xz) X(archive_write_open_filename) X(archive_write_header) X(archive_write_data)       \
    X(archive_write_close)                                                                                            \
    X(archive_read_new) X(archive_read_free) X(archive_read_support_filter_xz) X(archive_read_support_format_tar)     \
    X(archive_read_open_filename) X(archive_read_next_header) X(archive_read_data)                                    \
    X(archive_entry_new) X(archive_entry_free) X(archive_entry_set_pathname) X(archive_entry_set_mtime)               \
    X(archive_entry_set_uid) X(archive_entry_set_gid) X(archive_entry_set_filetype) X(archive_entry_set_perm)         \
    X(archive_entry_set_size) X(archive_entry_pathname) X(archive_entry_filetype) X(archive_entry_hardlink)           \
    X(archive_entry_perm)

// The functions, under their own names: libarchive().archive_write_new() and so on.
struct LibArchive {
#define OSV_LIBARCHIVE_POINTER(name) decltype(&::name) name = nullptr;
    OSV_LIBARCHIVE_FUNCTIONS(OSV_LIBARCHIVE_POINTER)
#undef OSV_LIBARCHIVE_POINTER
};

// The table, loading libarchive.so.13 on the first call (thread-safe; it stays loaded). Throws
// InputError, one line saying which package to install, when the library or a function is missing.
const LibArchive& libarchive();

}  // namespace osv
