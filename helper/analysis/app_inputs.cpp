#include "app_inputs.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <unordered_set>

#include "defined_imports.hpp"
#include "error.hpp"
#include "folder_walk.hpp"
#include "library_closure.hpp"

namespace osv {
namespace {

struct Candidate {
    // A string, not a std::filesystem::path: a path carries its components too (~300 bytes a file
    // instead of ~60), and every candidate waits from the folder walk to its read (a library
    // folder: 1,513 of them, 0.35 MB less at the reading's early peak). read() makes the path.
    std::string path;
    bool named;         // named by the user: must be a program
    bool regular;       // stat() said a regular file: read_elf_imports() need not ask again
    std::string order;  // absolute and normal: files are read in this order, whichever way they came
};

// What stat() says of a path, and whether the path itself is a symbolic link: lstat() first, and
// stat() only for a link, so a plain file costs one system call.
struct FileStatus {
    bool exists = false;  // stat() succeeded: the path leads to something
    bool is_link = false;
    int error = 0;        // errno of the failed call when it did not
    struct stat status = {};
};

FileStatus file_status(const std::filesystem::path& path) {
    FileStatus file;
    file.exists = ::lstat(path.c_str(), &file.status) == 0;
    if (file.exists && S_ISLNK(file.status.st_mode)) {
        file.is_link = true;
        file.exists = ::stat(path.c_str(), &file.status) == 0;
    }
    if (!file.exists) file.error = errno;
    return file;
}

class Collector {
public:
    void add_named(const std::filesystem::path& path) {
        const FileStatus file = file_status(path);
        if (!file.exists) {
            std::error_code ec(file.error, std::generic_category());
            throw InputError(quoted_path(path) + ": " + missing_file_text(ec, "no such file or folder") + "; check the path");
        }
        if (S_ISDIR(file.status.st_mode))
            add_folder(path);
        else if (!S_ISREG(file.status.st_mode))
            throw InputError(quoted_path(path) + ": not a regular file (a pipe or device?); pass an ELF file or a folder");
        else
            add(path, true, {}, &file);
    }

    // Walks a folder, following links to folders (an app's lib/ is often one) but entering each
    // real folder once, so link cycles end. Every folder entered is listed for the depfile.
    void add_folder(const std::filesystem::path& folder) {
        WalkedTree tree;
        try {
            tree = walk_folder(folder, FolderLinks::follow);
        } catch (const FolderWalkError& error) {
            throw InputError(quoted_path(folder) + ": cannot walk the folder: " + error.what());
        }
        std::move(tree.folders.begin(), tree.folders.end(), std::back_inserter(out_.folders));
        for (const auto& file : tree.files) add(file.path, false, file.real_path);
    }

    // `real_path`: the file's path without links when the caller knows it (a folder walk does);
    // `known`: its status when the caller has it already (one lstat() a file, not three).
    void add(const std::filesystem::path& path, bool named, const std::string& real_path = {},
             const FileStatus* known = nullptr) {
        // Each file once, however it is reached (two folders, a link, a manifest line), as the
        // canonical path said, without weakly_canonical()'s system call per path component: the
        // device, the inode and the file's own name (hard links under other names stay files of
        // their own, as they were), through one symbolic link chain only where the path is one.
        const FileStatus file = known ? *known : file_status(path);
        if (file.exists) {
            std::string name = path.filename().string();
            if (!real_path.empty()) {
                name = std::filesystem::path(real_path).filename().string();
            } else if (file.is_link) {
                std::error_code ec;
                name = std::filesystem::canonical(path, ec).filename().string();
            }
            if (!seen_files_.insert({file.status.st_dev, file.status.st_ino, std::move(name)}).second) return;
        } else {
            std::error_code ec;
            auto key = std::filesystem::weakly_canonical(path, ec);
            if (!seen_paths_.insert(ec ? path.string() : key.string()).second) return;
        }
        candidates_.push_back({path.native(), named, file.exists && S_ISREG(file.status.st_mode),
                               std::filesystem::absolute(path).lexically_normal().string()});
    }

    AppInputs finish() && {
        std::sort(candidates_.begin(), candidates_.end(),
                  [](const Candidate& a, const Candidate& b) { return a.order < b.order; });
        // The peak of a big app's memory is in this loop: each candidate's path becomes the file's
        // entry in files_read (or kernel_libraries) as it is read, and the sort keys go now, not
        // copies kept to the end (a library folder: 0.5 MB).
        for (auto& candidate : candidates_) std::string().swap(candidate.order);
        out_.programs.reserve(candidates_.size());  // exact at most: no spare half, no copy while growing
        for (auto& candidate : candidates_) read(candidate);
        std::vector<Candidate>().swap(candidates_);
        out_.defined_imports =
            defined_.finish([&](std::size_t file, DefinitionSink& sink) { read_elf_definitions(out_.programs[file], sink); });
        // The programs' paths join files_read only now, past the peak of the reading: as paths they
        // are ~350 bytes a file, and the programs hold them as strings meanwhile.
        out_.files_read.reserve(out_.files_read.size() + out_.programs.size());
        for (const auto& program : out_.programs) out_.files_read.emplace_back(program.path);
        std::sort(out_.kernel_libraries.begin(), out_.kernel_libraries.end());
        std::sort(out_.programs.begin(), out_.programs.end(),
                  [](const ElfSymbols& a, const ElfSymbols& b) { return a.path < b.path; });
        return std::move(out_);
    }

    std::vector<std::string>& files_read() { return out_.files_read; }

private:
    // Takes the candidate's path (into the program read or kernel_libraries).
    void read(Candidate& candidate) {
        std::filesystem::path path(std::move(candidate.path));
        const auto not_elf = [&] {
            if (candidate.named)  // add_named() already refused missing files and pipes
                throw InputError(quoted_path(path) +
                                 ": not an ELF file; pass an executable, a shared library or a folder");
            ++out_.skipped;
        };
        // glibc's own libraries (libc.so.6, ld-linux-x86-64.so.2 from an ldd list) are the kernel on
        // OSv: their symbols are no imports of the app and their internals (_dl_*) no unresolved names.
        if (is_provided_by_osv_kernel(path.filename().string())) {
            if (!has_elf_magic(path)) return not_elf();
            out_.kernel_libraries.push_back(std::move(path));
            return;
        }
        try {
            defined_.start_file(out_.programs.size());
            auto program = read_elf_imports(path, names_, &defined_, candidate.regular);  // one open: magic check and read
            if (!program) return not_elf();
            out_.programs.push_back(std::move(*program));
        } catch (const NotAProgram&) {
            if (candidate.named) throw;
            ++out_.skipped;
        }
    }

    struct FileId {
        dev_t device;
        ino_t inode;
        std::string name;
        bool operator==(const FileId&) const = default;
    };
    struct FileIdHash {
        std::size_t operator()(const FileId& id) const {
            return (std::hash<ino_t>()(id.inode) * 31 + id.device) ^ std::hash<std::string>()(id.name);
        }
    };

    std::vector<Candidate> candidates_;
    std::unordered_set<FileId, FileIdHash> seen_files_;
    std::set<std::string> seen_paths_;  // files stat() cannot reach (a manifest's missing file)
    std::shared_ptr<SymbolNames> names_ = std::make_shared<SymbolNames>();  // every program's imports
    DefinedImports defined_{names_};
    AppInputs out_;
};

}  // namespace

AppInputs collect_app_inputs(const std::vector<std::string>& inputs,
                             const std::vector<std::filesystem::path>& manifests, const ManifestDefines& defines) {
    Collector collector;
    for (const auto& input : inputs) collector.add_named(input);
    std::vector<std::filesystem::path> folders;
    std::set<std::string> guest_paths;
    for (const auto& manifest : manifests) {
        ExpandedManifest expanded = read_manifest(manifest, defines);
        collector.files_read().push_back(manifest);
        for (const auto& file : expanded.files) {
            collector.add(file.host_path, false, file.real_path);
            guest_paths.insert(file.guest_path);
        }
        folders.insert(folders.end(), expanded.folders.begin(), expanded.folders.end());
    }
    AppInputs result = std::move(collector).finish();
    result.folders.insert(result.folders.end(), folders.begin(), folders.end());
    result.guest_paths.assign(guest_paths.begin(), guest_paths.end());
    return result;
}

}  // namespace osv
