// Linker version scripts: reading the exported names of one (an exports source, or the script a
// kernel was relinked with) and writing the per-app one from the template in templates/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace osv {

// True when text looks like a version script rather than a plain list (it has a '{' outside comments).
bool looks_like_version_script(std::string_view text);

// Names listed under "global:" in every node, sorted and unique. Handles /* */ and # comments,
// several nodes (anonymous or tagged, with dependencies), quoted names, and "local: *;".
// Throws InputError with file:line:column on malformed text, on wildcards under global: (they
// name no symbol) and on extern "C++" blocks (their names are demangled patterns).
std::vector<std::string> parse_version_script_globals(std::string_view text, const std::filesystem::path& origin);

// The version script exporting exactly `names` (sorted by the caller), rendered from the template.
std::string render_version_script(const std::vector<std::string>& names);

}  // namespace osv
