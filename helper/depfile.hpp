// Make-syntax dependency files ("target: dep dep ..."), read by Ninja, Make, CMake's DEPFILE
// and Meson's depfile:, so a build reruns a command when any file it read changes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

// Escapes spaces and '#' with a backslash and '$' as "$$"; dependencies are sorted and unique.
std::string render_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& dependencies);

}  // namespace osv
