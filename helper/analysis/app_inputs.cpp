#include "app_inputs.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "error.hpp"
#include "folder_walk.hpp"
#include "library_closure.hpp"

namespace osv {
namespace {

struct Candidate {
    std::filesystem::path path;
    bool named;  // named by the user: must be a program
};

class Collector {
public:
    void add_named(const std::filesystem::path& path) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status))
            throw InputError(quoted_path(path) + ": " + missing_file_text(ec, "no such file or folder") + "; check the path");
        if (std::filesystem::is_directory(status))
            add_folder(path);
        else if (!std::filesystem::is_regular_file(status))
            throw InputError(quoted_path(path) + ": not a regular file (a pipe or device?); pass an ELF file or a folder");
        else
            add(path, true);
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
        for (auto& file : tree.files) add_with_key(file.real_path, std::move(file.path), false);
    }

    void add(const std::filesystem::path& path, bool named) {
        std::error_code ec;
        auto key = std::filesystem::weakly_canonical(path, ec);
        if (ec) key = path;
        add_with_key(key.string(), path, named);
    }

    // `key` is the file's canonical path (a folder walk knows it without asking canonical()).
    void add_with_key(const std::string& key, std::filesystem::path path, bool named) {
        candidates_.try_emplace(key, Candidate{std::move(path), named});
    }

    AppInputs finish() && {
        for (auto& [key, candidate] : candidates_) read(candidate);
        std::sort(out_.kernel_libraries.begin(), out_.kernel_libraries.end());
        std::sort(out_.programs.begin(), out_.programs.end(),
                  [](const ElfSymbols& a, const ElfSymbols& b) { return a.path.string() < b.path.string(); });
        return std::move(out_);
    }

    std::vector<std::filesystem::path>& files_read() { return out_.files_read; }

private:
    void read(const Candidate& candidate) {
        if (!has_elf_magic(candidate.path)) {
            if (candidate.named)  // add_named() already refused missing files and pipes
                throw InputError(quoted_path(candidate.path) +
                                 ": not an ELF file; pass an executable, a shared library or a folder");
            ++out_.skipped;
            return;
        }
        // glibc's own libraries (libc.so.6, ld-linux-x86-64.so.2 from an ldd list) are the kernel on
        // OSv: their symbols are no imports of the app and their internals (_dl_*) no unresolved names.
        if (is_provided_by_osv_kernel(candidate.path.filename().string())) {
            out_.kernel_libraries.push_back(candidate.path);
            return;
        }
        try {
            out_.programs.push_back(read_elf_symbols(candidate.path));
            out_.files_read.push_back(candidate.path);
        } catch (const NotAProgram&) {
            if (candidate.named) throw;
            ++out_.skipped;
        }
    }

    std::map<std::string, Candidate> candidates_;  // keyed by canonical path: each file once
    AppInputs out_;
};

}  // namespace

AppInputs collect_app_inputs(const std::vector<std::filesystem::path>& inputs,
                             const std::vector<std::filesystem::path>& manifests, const ManifestDefines& defines) {
    Collector collector;
    for (const auto& input : inputs) collector.add_named(input);
    std::vector<std::filesystem::path> folders;
    std::set<std::string> guest_paths;
    for (const auto& manifest : manifests) {
        ExpandedManifest expanded = read_manifest(manifest, defines);
        collector.files_read().push_back(manifest);
        for (const auto& file : expanded.files) {
            // A "/**" walk knows its files' real paths: canonical() per file is cubic in the depth.
            if (file.real_path.empty())
                collector.add(file.host_path, false);
            else
                collector.add_with_key(file.real_path, file.host_path, false);
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
