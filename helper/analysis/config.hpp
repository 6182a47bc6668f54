// --config FILE.yaml: the same settings as the command-line flags, for builds that prefer a file.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace osv {

struct AppConfig {
    std::vector<std::string> keep;
    std::vector<std::filesystem::path> keep_files;   // relative paths resolved against the config's folder
    std::vector<std::filesystem::path> manifests;    // likewise
    std::map<std::string, std::string> defines;
    bool strict = false;
};

// Throws InputError with file:line:column for YAML syntax errors, unknown keys and wrong types.
AppConfig read_app_config(const std::filesystem::path& path);

}  // namespace osv
