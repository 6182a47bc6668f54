// The per-user cache of unpacked kit bundles and debug-stripped link inputs. Entries are named by
// content, written under a temporary name and renamed into place, so concurrent builds share them
// safely: a name that exists is complete.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace osv {

// $OSV_SPECIALIZE_CACHE, else $XDG_CACHE_HOME/osv-specialize, else ~/.cache/osv-specialize.
std::filesystem::path user_cache_root();

// The folder `root/key`, made by `fill` (given an empty staging folder) the first time it is
// asked for. When two processes race, one's folder wins and the other's is thrown away.
std::filesystem::path cached_folder(const std::filesystem::path& root, const std::string& key,
                                    const std::function<void(const std::filesystem::path& staging)>& fill);

// Moves a complete `staged` folder to `root/key` unless that exists already (then `staged` is
// removed); returns root/key.
std::filesystem::path publish_folder(const std::filesystem::path& staged, const std::filesystem::path& root,
                                     const std::string& key);

// A fresh, empty staging folder under root, private to this process.
std::filesystem::path new_staging_folder(const std::filesystem::path& root, const std::string& key);

}  // namespace osv
