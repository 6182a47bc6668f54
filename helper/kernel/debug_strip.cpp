#include "debug_strip.hpp"

#include <elf.h>

#include <set>

#include "elf_file.hpp"
#include "error.hpp"
#include "file_head.hpp"
#include "process.hpp"
#include "user_cache.hpp"

namespace osv {

bool is_object_or_archive(const std::filesystem::path& path) {
    const std::string head = read_file_head(path, 18);
    if (head.starts_with("!<arch>\n")) return true;
    // Relocatable ELF objects only (e_type at offset 16, in the file's byte order): a shared library
    // must stay where it is, since a link without DT_SONAME records its path in DT_NEEDED.
    if (head.size() < 18 || !head.starts_with(ELFMAG)) return false;
    const auto byte = [&head](std::size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(head[at])); };
    const unsigned type = head[EI_DATA] == ELFDATA2MSB ? (byte(16) << 8) | byte(17) : byte(16) | (byte(17) << 8);
    return type == ET_REL;
}

void strip_debug_in_place(const std::vector<std::filesystem::path>& files) {
    constexpr std::size_t batch = 200;  // well inside the kernel's argument-length limit
    for (std::size_t start = 0; start < files.size(); start += batch) {
        std::vector<std::string> argv = {"strip", "--strip-debug"};
        for (std::size_t i = start; i < std::min(files.size(), start + batch); ++i) argv.push_back(files[i].string());
        const ProcessResult result = run_process(argv, {}, false);
        if (result.exit_status != 0)
            throw InputError(quoted_path(files[start]) + " ...: strip --strip-debug failed (exit " +
                             std::to_string(result.exit_status) + "); its messages are above");
    }
}

std::map<std::filesystem::path, std::filesystem::path> debug_stripped_inputs(const Kit& kit) {
    const auto root = user_cache_root() / "stripped";
    std::map<std::filesystem::path, std::filesystem::path> copies;
    struct Missing {
        std::string key;
        std::filesystem::path staged_folder;
    };
    std::vector<Missing> missing;
    std::vector<std::filesystem::path> to_strip;
    std::set<std::string> staged;
    std::filesystem::path batch;
    std::error_code ec;
    for (const auto& input : kit.inputs) {
        if (!is_object_or_archive(input.path)) continue;
        // The name is part of the key: two inputs may have the same bytes under different names.
        const std::string key = input.fingerprint + "-" + std::to_string(input.size) + "-" + input.path.filename().string();
        copies[input.path] = root / key / input.path.filename();
        if (std::filesystem::is_directory(root / key, ec) || !staged.insert(key).second) continue;
        // Made in one batch: one strip process per 200 files, not one per file.
        if (batch.empty()) batch = new_staging_folder(root, "batch");
        const auto folder = batch / key;
        std::filesystem::create_directory(folder, ec);
        std::filesystem::copy_file(input.path, folder / input.path.filename(), std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) {
            std::filesystem::remove_all(batch, ec);
            throw InputError(quoted_path(input.path) + ": cannot copy into the cache: " + ec.message());
        }
        missing.push_back({key, folder});
        to_strip.push_back(folder / input.path.filename());
    }
    if (batch.empty()) return copies;
    try {
        strip_debug_in_place(to_strip);
        for (const auto& entry : missing) publish_folder(entry.staged_folder, root, entry.key);
    } catch (...) {
        std::filesystem::remove_all(batch, ec);
        throw;
    }
    std::filesystem::remove_all(batch, ec);
    return copies;
}

std::vector<std::string> with_replaced_inputs(std::vector<std::string> argv, const std::filesystem::path& cwd,
                                              const std::map<std::filesystem::path, std::filesystem::path>& replacements) {
    for (std::size_t i = 1; i < argv.size(); ++i) {
        if (argv[i].empty() || argv[i].front() == '-') continue;
        const auto found = replacements.find((cwd / argv[i]).lexically_normal());
        if (found != replacements.end()) argv[i] = found->second.string();
    }
    return argv;
}

}  // namespace osv
