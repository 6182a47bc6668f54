// Make-syntax dependency files ("target: dep dep ..."), read by Ninja, Make, CMake's DEPFILE
// and Meson's depfile:, so a build reruns a command when any file it read changes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

// Escapes spaces, '#' and ':' with a backslash and '$' as "$$"; dependencies are sorted and unique.
// Throws InputError for a path Make cannot read back as one name (a newline, tab or other control
// character, or a trailing backslash, which would join the next line's continuation).
std::string render_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& dependencies);
// The same for a big app's file list, held as strings (a path carries its split components too).
std::string render_depfile(const std::filesystem::path& target, const std::vector<std::string>& dependencies);

}  // namespace osv
