#include "library_closure.hpp"

#include <elf.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "elf_file.hpp"
#include "error.hpp"

namespace osv {
namespace {

namespace fs = std::filesystem;

// A folder to look in and the rule that put it on the search path (for the report).
struct SearchFolder {
    fs::path folder;
    const char* through;
};

// One object "loaded" by the search, as ld.so keeps a link_map: its dynamic facts, where $ORIGIN
// points, and which object loaded it (RPATH is inherited along that chain).
struct LoadedObject {
    ElfDependencies dependencies;
    fs::path origin;                      // the folder $ORIGIN expands to
    std::optional<std::size_t> loader;    // index of the object whose DT_NEEDED loaded it
};

bool is_identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether `text` at `at` (just after a '$') names the dynamic string token `token`, as "TOKEN" or
// "{TOKEN}"; returns its length after the '$', or 0.
std::size_t token_length(std::string_view text, std::size_t at, std::string_view token) {
    const std::string_view rest = text.substr(at);
    if (rest.starts_with("{") && rest.substr(1).starts_with(token) && rest.substr(1 + token.size()).starts_with("}"))
        return token.size() + 2;
    if (rest.starts_with(token) && (rest.size() == token.size() || !is_identifier_char(rest[token.size()])))
        return token.size();
    return 0;
}

class ClosureSearch {
public:
    explicit ClosureSearch(const ClosureOptions& options) : options_(options) {
        for (const auto& folder : options.library_path)
            library_path_.push_back({in_sysroot(folder), "library-path"});
    }

    void add_app_file(const fs::path& path) {
        std::error_code ec;
        fs::path real = fs::canonical(path, ec);
        if (ec) real = fs::absolute(path).lexically_normal();
        if (!loaded_files_.emplace(real.string(), objects_.size()).second) return;
        LoadedObject object{read_elf_dependencies(path), real.parent_path(), std::nullopt};
        files_read_.insert(path);
        if (!object.dependencies.soname.empty()) app_sonames_.emplace(object.dependencies.soname, path);
        app_sonames_.emplace(path.filename().string(), path);  // weaker than a SONAME: emplace keeps the first
        objects_.push_back(std::move(object));
        queue_.push_back(objects_.size() - 1);
    }

    LibraryClosure run() && {
        while (!queue_.empty()) {
            const std::size_t index = queue_.front();
            queue_.pop_front();
            // Copied: resolving may grow objects_ and move its elements.
            const std::vector<std::string> needed = objects_[index].dependencies.needed;
            for (const auto& name : needed) resolve(index, name);
        }
        return finish();
    }

private:
    void resolve(std::size_t requester, const std::string& name) {
        const fs::path requester_path = objects_[requester].dependencies.path;  // a copy: load() grows objects_
        NeededLibrary& entry = libraries_[name];
        entry.name = name;
        entry.requested_by.push_back(requester_path);
        if (entry.requested_by.size() > 1 && entry.outcome != NeedOutcome::not_found) return;  // loaded once
        if (entry.requested_by.size() == 1) entry.first_requester = requester_path;
        if (is_provided_by_osv_kernel(name)) {
            entry.outcome = NeedOutcome::kernel;
            return;
        }
        // ld.so takes an object already loaded under this SONAME before searching (elf/dl-load.c,
        // _dl_map_object: _dl_name_match_p), even when the requester's own path would not find it.
        if (const auto loaded = loaded_sonames_.find(name); loaded != loaded_sonames_.end()) {
            entry.outcome = NeedOutcome::found;
            entry.file = loaded->second;
            entry.found_through = "soname";
            entry.first_requester = requester_path;
            entry.searched.clear();
            return;
        }
        std::vector<fs::path> searched;
        if (auto found = search(requester, name, searched)) {
            entry.outcome = NeedOutcome::found;
            entry.file = found->first;
            entry.found_through = found->second;
            entry.first_requester = requester_path;
            entry.searched.clear();
            load(found->first, requester);
            return;
        }
        if (const auto app = app_sonames_.find(name); app != app_sonames_.end()) {
            entry.outcome = NeedOutcome::app_file;
            entry.file = app->second;
            entry.first_requester = requester_path;
            return;
        }
        if (entry.requested_by.size() == 1) entry.searched = std::move(searched);
    }

    // ld.so's order (elf/dl-load.c, _dl_map_object): a name with a '/' is a path; otherwise the
    // RPATHs of the requester and of the objects that loaded it (only when the requester has no
    // RUNPATH), LD_LIBRARY_PATH, the requester's RUNPATH, then the default folders.
    std::optional<std::pair<fs::path, const char*>> search(std::size_t requester, const std::string& name,
                                                          std::vector<fs::path>& searched) {
        const LoadedObject& object = objects_[requester];
        if (name.find('/') != std::string::npos) {
            const fs::path candidate = fs::path(name).is_absolute() ? in_sysroot(name) : fs::path(name);
            if (acceptable(candidate, object, name)) return std::pair{candidate, "path"};
            return std::nullopt;
        }
        std::vector<SearchFolder> folders;
        if (object.dependencies.runpath.empty())
            for (std::optional<std::size_t> at = requester; at; at = objects_[*at].loader)
                add_folders(objects_[*at], effective_rpath(objects_[*at]), "rpath", folders);
        folders.insert(folders.end(), library_path_.begin(), library_path_.end());
        add_folders(object, object.dependencies.runpath, "runpath", folders);
        for (const auto& folder : default_library_folders(object.dependencies.arch.elf_class,
                                                          object.dependencies.arch.machine, options_.sysroot))
            folders.push_back({folder, "default"});

        std::set<fs::path> tried;
        for (const auto& [folder, through] : folders) {
            if (!tried.insert(folder).second) continue;
            searched.push_back(folder);
            std::error_code ec;
            if (!fs::is_directory(folder, ec)) continue;
            folders_searched_.insert(folder);
            const fs::path candidate = folder / name;
            if (acceptable(candidate, object, name)) return std::pair{candidate, through};
        }
        return std::nullopt;
    }

    // DT_RPATH counts only in objects without DT_RUNPATH (glibc ignores it when both are present).
    static const std::vector<std::string>& effective_rpath(const LoadedObject& object) {
        static const std::vector<std::string> none;
        return object.dependencies.runpath.empty() ? object.dependencies.rpath : none;
    }

    // Splits ':'-separated lists and expands $ORIGIN to the object's folder (a host path, never
    // moved into the sysroot); other absolute folders are taken inside the sysroot.
    void add_folders(const LoadedObject& object, const std::vector<std::string>& lists, const char* through,
                     std::vector<SearchFolder>& folders) {
        for (const auto& list : lists) {
            std::size_t start = 0;
            while (start <= list.size()) {
                const std::size_t end = std::min(list.find(':', start), list.size());
                const std::string entry = list.substr(start, end - start);
                start = end + 1;
                if (entry.empty()) continue;  // ld.so's "current folder" means nothing for an image
                if (auto folder = expand(entry, object, through)) folders.push_back({*folder, through});
            }
        }
    }

    std::optional<fs::path> expand(const std::string& entry, const LoadedObject& object, const char* through) {
        std::string expanded;
        bool from_origin = false;
        for (std::size_t i = 0; i < entry.size(); ++i) {
            if (entry[i] != '$') {
                expanded += entry[i];
                continue;
            }
            if (const std::size_t length = token_length(entry, i + 1, "ORIGIN")) {
                expanded += object.origin.string();
                from_origin = true;
                i += length;
                continue;
            }
            for (const char* unsupported : {"LIB", "PLATFORM"}) {
                if (token_length(entry, i + 1, unsupported)) {
                    notes_.insert(object.dependencies.path.string() + ": " + through + " entry '" + entry + "' uses $" +
                                  unsupported + ", which is not supported; the entry is not searched");
                    return std::nullopt;
                }
            }
            expanded += '$';  // not a token ld.so knows: taken literally, as ld.so does
        }
        const fs::path folder = fs::path(expanded).lexically_normal();
        if (from_origin || !folder.is_absolute()) return folder;
        return in_sysroot(folder);
    }

    fs::path in_sysroot(const fs::path& folder) const {
        if (options_.sysroot.empty() || !folder.is_absolute()) return folder;
        return (options_.sysroot / folder.relative_path()).lexically_normal();
    }

    // A candidate the loader would take: it exists and is not a folder, and is an ELF file of the
    // requester's class and machine. ld.so skips other classes and machines and searches on; it
    // gives up on files that are not ELF at all, and so does this (as an input error).
    bool acceptable(const fs::path& candidate, const LoadedObject& requester, const std::string& name) {
        std::error_code ec;
        const auto status = fs::status(candidate, ec);
        if (!fs::exists(status) || fs::is_directory(status)) return false;
        if (!has_elf_magic(candidate))
            throw InputError(quoted_path(candidate) + ": not an ELF file, yet it is where the loader finds '" + name +
                             "' (needed by " + requester.dependencies.path.string() +
                             "); remove it or fix the search path");
        const ElfDependencies found = read_elf_dependencies(candidate);
        files_read_.insert(candidate);
        if (found.arch != requester.dependencies.arch) {
            notes_.insert(candidate.string() + ": skipped for '" + name + "': " + found.arch.describe() + ", not " +
                          requester.dependencies.arch.describe());
            return false;
        }
        return true;
    }

    // Loads a found library once per real file (ld.so compares device and inode): two names for
    // one file share their dependencies.
    void load(const fs::path& found, std::size_t loader) {
        std::error_code ec;
        fs::path real = fs::canonical(found, ec);
        if (ec) real = fs::absolute(found).lexically_normal();
        if (!loaded_files_.emplace(real.string(), objects_.size()).second) return;
        // $ORIGIN of a library is the folder it was found in (ld.so does not resolve its links).
        LoadedObject object{read_elf_dependencies(found), fs::absolute(found).lexically_normal().parent_path(), loader};
        if (!object.dependencies.soname.empty()) loaded_sonames_.emplace(object.dependencies.soname, found);
        objects_.push_back(std::move(object));
        queue_.push_back(objects_.size() - 1);
    }

    LibraryClosure finish() {
        LibraryClosure closure;
        for (auto& [name, entry] : libraries_) {
            std::sort(entry.requested_by.begin(), entry.requested_by.end());
            entry.requested_by.erase(std::unique(entry.requested_by.begin(), entry.requested_by.end()),
                                     entry.requested_by.end());
            closure.libraries.push_back(std::move(entry));
        }
        closure.files_read.assign(files_read_.begin(), files_read_.end());
        closure.folders_searched.assign(folders_searched_.begin(), folders_searched_.end());
        closure.notes.assign(notes_.begin(), notes_.end());
        return closure;
    }

    const ClosureOptions& options_;
    std::vector<SearchFolder> library_path_;
    std::vector<LoadedObject> objects_;
    std::deque<std::size_t> queue_;                    // breadth first, as ld.so loads dependencies
    std::map<std::string, std::size_t> loaded_files_;  // real path -> object
    std::map<std::string, fs::path> loaded_sonames_;   // libraries the search loaded, by SONAME
    std::map<std::string, fs::path> app_sonames_;      // the app's own files by SONAME and file name
    std::map<std::string, NeededLibrary> libraries_;   // by needed name
    std::set<fs::path> files_read_, folders_searched_;
    std::set<std::string> notes_;
};

}  // namespace

const char* to_string(NeedOutcome outcome) {
    switch (outcome) {
        case NeedOutcome::found: return "found";
        case NeedOutcome::app_file: return "app-file";
        case NeedOutcome::kernel: return "kernel";
        case NeedOutcome::not_found: return "not-found";
    }
    return "unknown";
}

bool is_provided_by_osv_kernel(std::string_view needed) {
    // OSv matches these exact names (not libutil.so.1: it registers "libutil.so").
    static constexpr std::string_view kernel_sonames[] = {
        "libc.so.6",       "libm.so.6",     "libpthread.so.0",       "libdl.so.2",
        "librt.so.1",      "libresolv.so.2", "libcrypt.so.1",        "libutil.so",
        "libaio.so.1",     "libxenstore.so.3.0", "libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1",
    };
    if (std::find(std::begin(kernel_sonames), std::end(kernel_sonames), needed) != std::end(kernel_sonames))
        return true;
    // The dynamic loader itself (ld-linux-x86-64.so.2, ld-linux-aarch64.so.1): OSv is the loader.
    return needed.starts_with("ld-linux") && needed.find(".so.") != std::string_view::npos;
}

std::vector<fs::path> default_library_folders(int elf_class, int machine, const fs::path& sysroot) {
    std::string multiarch;
    if (machine == EM_X86_64 && elf_class == ELFCLASS64) multiarch = "x86_64-linux-gnu";
    if (machine == EM_AARCH64) multiarch = "aarch64-linux-gnu";
    if (machine == EM_386) multiarch = "i386-linux-gnu";
    std::vector<fs::path> folders;
    if (!multiarch.empty()) {
        folders.push_back("/lib/" + multiarch);
        folders.push_back("/usr/lib/" + multiarch);
    }
    for (const char* folder : {"/lib", "/usr/lib", "/usr/local/lib"}) folders.emplace_back(folder);
    if (!sysroot.empty())
        for (auto& folder : folders) folder = (sysroot / folder.relative_path()).lexically_normal();
    return folders;
}

LibraryClosure find_library_closure(const std::vector<fs::path>& app_files, const ClosureOptions& options) {
    ClosureSearch search(options);
    std::vector<fs::path> sorted = app_files;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& file : sorted) search.add_app_file(file);
    return std::move(search).run();
}

}  // namespace osv
