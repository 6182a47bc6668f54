#include "app_inputs.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "error.hpp"
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
            throw InputError(path.string() + ": no such file or folder; check the path");
        if (std::filesystem::is_directory(status))
            add_folder(path);
        else if (!std::filesystem::is_regular_file(status))
            throw InputError(path.string() + ": not a regular file (a pipe or device?); pass an ELF file or a folder");
        else
            add(path, true);
    }

    // Walks a folder, following links to folders (an app's lib/ is often one) but entering each
    // real folder once, so link cycles end.
    void add_folder(const std::filesystem::path& folder) {
        out_.folders.push_back(folder);
        std::error_code ec;
        std::set<std::filesystem::path> entered = {std::filesystem::canonical(folder, ec)};
        auto it = std::filesystem::recursive_directory_iterator(
            folder, std::filesystem::directory_options::follow_directory_symlink, ec);
        for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code entry_ec;
            if (it->is_directory(entry_ec)) {
                if (!entered.insert(std::filesystem::canonical(it->path(), entry_ec)).second) {
                    it.disable_recursion_pending();
                    continue;
                }
                out_.folders.push_back(it->path());
            } else if (it->is_regular_file(entry_ec)) {
                add(it->path(), false);
            }
        }
        if (ec) throw InputError(folder.string() + ": cannot walk the folder: " + ec.message());
    }

    void add(const std::filesystem::path& path, bool named) {
        std::error_code ec;
        auto key = std::filesystem::weakly_canonical(path, ec);
        if (ec) key = path;
        candidates_.try_emplace(key.string(), Candidate{path, named});
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
                throw InputError(candidate.path.string() +
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
            collector.add(file.host_path, false);
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
