// Debug-stripped link inputs. Debug info is most of the bytes a kernel link reads and writes, and
// the stripped kernel does not keep it: linking debug-stripped copies gives the same stripped
// kernel several times faster.
#pragma once

#include <filesystem>
#include <map>
#include <vector>

#include "kit.hpp"

namespace osv {

// Relocatable objects and archives: what is debug-stripped (linker scripts and shared libraries
// are left alone).
bool is_object_or_archive(const std::filesystem::path& path);

// Strips debug info from these files in place (strip --strip-debug, in batches).
void strip_debug_in_place(const std::vector<std::filesystem::path>& files);

// For every object or archive input of the kit, a debug-stripped copy in the user cache, made once
// per input fingerprint and keeping the input's file name (ld's --exclude-libs matches names).
std::map<std::filesystem::path, std::filesystem::path> debug_stripped_inputs(const Kit& kit);

// The link argv with every argument naming a replaced input (relative to the link's folder or
// absolute) pointing at its replacement.
std::vector<std::string> with_replaced_inputs(std::vector<std::string> argv, const std::filesystem::path& cwd,
                                              const std::map<std::filesystem::path, std::filesystem::path>& replacements);

}  // namespace osv
