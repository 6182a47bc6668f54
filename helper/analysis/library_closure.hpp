// The shared libraries an app needs besides those OSv's kernel provides, found the way glibc's
// ld.so finds them (DT_NEEDED followed transitively through DT_RPATH, the library path,
// DT_RUNPATH and the default folders), by reading files only: nothing is executed, so it is safe
// on untrusted binaries and right for another sysroot, unlike ldd.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace osv {

struct ClosureOptions {
    std::vector<std::filesystem::path> library_path;  // searched like LD_LIBRARY_PATH
    std::filesystem::path sysroot;                    // empty: the host's own root
};

enum class NeedOutcome {
    found,      // a file on the search path satisfies it
    app_file,   // nothing on the search path, but one of the app's own files has this SONAME
    kernel,     // glibc's own libraries: OSv's kernel provides them, the image must not carry them
    not_found,
};
const char* to_string(NeedOutcome outcome);

// One DT_NEEDED name, however many files ask for it: ld.so loads a name once and every later
// request for it takes the same file.
struct NeededLibrary {
    std::string name;
    NeedOutcome outcome = NeedOutcome::not_found;
    std::filesystem::path file;   // found/app_file: the path as found (a symlink stays one, like ldd shows it)
    std::string found_through;    // found: "path", "rpath", "library-path", "runpath", "default", or "soname"
                                  // (a library already loaded has this SONAME)
    std::filesystem::path first_requester;             // the file whose search found (or failed to find) it
    std::vector<std::filesystem::path> requested_by;   // every file needing it, sorted
    std::vector<std::filesystem::path> searched;       // not_found: the folders the first requester tried
};

struct LibraryClosure {
    std::vector<NeededLibrary> libraries;                  // sorted by name
    std::vector<std::filesystem::path> files_read;         // the app's files and every library read, sorted
    std::vector<std::filesystem::path> folders_searched;   // existing folders looked in, sorted
    std::vector<std::string> notes;                        // skipped candidates, unsupported tokens; sorted
};

// True for the sonames OSv's kernel registers as already loaded (core/elf.cc, program::program):
// glibc's libc, libm, libpthread, libdl, librt, libresolv, libcrypt, libutil, the dynamic loader,
// musl's libc, and libaio/libxenstore, which OSv implements itself.
bool is_provided_by_osv_kernel(std::string_view needed);

// The folders ld.so searches last for a file of this class and machine (Debian's multiarch
// folders first), inside `sysroot` when one is given.
std::vector<std::filesystem::path> default_library_folders(int elf_class, int machine,
                                                           const std::filesystem::path& sysroot);

// Follows DT_NEEDED from every one of the app's ELF files. Throws InputError for unreadable,
// corrupted or non-ELF files among the app's files and the libraries the search takes.
LibraryClosure find_library_closure(const std::vector<std::filesystem::path>& app_files, const ClosureOptions& options);

}  // namespace osv
