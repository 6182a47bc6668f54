#include "user_cache.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "error.hpp"

namespace osv {

std::filesystem::path user_cache_root() {
    if (const char* explicit_root = std::getenv("OSV_SPECIALIZE_CACHE"); explicit_root && *explicit_root)
        return std::filesystem::absolute(explicit_root);
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && std::filesystem::path(xdg).is_absolute())
        return std::filesystem::path(xdg) / "osv-specialize";
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "osv-specialize";
    throw InputError("no cache folder: set OSV_SPECIALIZE_CACHE, XDG_CACHE_HOME or HOME");
}

std::filesystem::path new_staging_folder(const std::filesystem::path& root, const std::string& key) {
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) throw InputError(quoted_path(root) + ": cannot create the cache folder: " + ec.message() +
                             "; set OSV_SPECIALIZE_CACHE to a writable folder");
    const auto staging = root / (".staging." + key + "." + std::to_string(::getpid()));
    std::filesystem::remove_all(staging, ec);
    std::filesystem::create_directory(staging, ec);
    if (ec) throw InputError(quoted_path(staging) + ": cannot create: " + ec.message() + "; set OSV_SPECIALIZE_CACHE to a writable folder");
    return staging;
}

std::filesystem::path publish_folder(const std::filesystem::path& staged, const std::filesystem::path& root,
                                     const std::string& key) {
    const auto final_path = root / key;
    std::error_code ec;
    if (std::rename(staged.c_str(), final_path.c_str()) != 0) {
        const int error = errno;
        std::filesystem::remove_all(staged, ec);
        // Another process published the same content first: use theirs.
        if ((error == EEXIST || error == ENOTEMPTY) && std::filesystem::is_directory(final_path, ec)) return final_path;
        throw InputError(quoted_path(final_path) + ": cannot publish into the cache: " + std::strerror(error));
    }
    return final_path;
}

std::filesystem::path cached_folder(const std::filesystem::path& root, const std::string& key,
                                    const std::function<void(const std::filesystem::path& staging)>& fill) {
    std::error_code ec;
    if (std::filesystem::is_directory(root / key, ec)) return root / key;
    const auto staging = new_staging_folder(root, key);
    try {
        fill(staging);
    } catch (...) {
        std::filesystem::remove_all(staging, ec);
        throw;
    }
    return publish_folder(staging, root, key);
}

}  // namespace osv
