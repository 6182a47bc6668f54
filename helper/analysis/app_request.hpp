// What the app-analysing subcommands (needed, version-script, check) share: the options naming
// the app's files, its keep list and its exports, merged with an optional --config file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app_inputs.hpp"
#include "exports.hpp"
#include "manifest.hpp"
#include "options.hpp"

namespace osv {

struct AppRequest {
    std::vector<std::string> inputs;  // strings, not paths: a path's split components cost ~300 bytes
                                      // a file, and a library folder is 1,500 files long
    std::vector<std::filesystem::path> manifests;
    std::vector<std::filesystem::path> keep_files;
    std::vector<std::string> keeps;  // from --keep, the config, and every keep file
    ManifestDefines defines;
    bool strict = false;
    std::vector<std::filesystem::path> settings_read;  // config and keep files, for dependency files
};

std::vector<OptionSpec> input_option_specs();     // --manifest --define: which files make up the app
std::vector<OptionSpec> exports_option_specs();   // --exports --kit
std::vector<OptionSpec> analysis_option_specs();  // both, plus --keep --keep-file --config --strict

// Flags win over the config: lists are combined, a --define overrides the same variable.
AppRequest app_request_from(const ParsedOptions& options, std::string_view command);

// The union of every --exports and --kit source; at least one is required.
ExportSet export_set_from(const ParsedOptions& options, std::string_view command);

AppInputs collect_app(const AppRequest& request);

}  // namespace osv
