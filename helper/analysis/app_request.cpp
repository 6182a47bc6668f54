#include "app_request.hpp"

#include "config.hpp"
#include "error.hpp"
#include "kit.hpp"
#include "text_input.hpp"

namespace osv {

std::vector<OptionSpec> input_option_specs() { return {{"manifest", true, true}, {"define", true, true}}; }

std::vector<OptionSpec> exports_option_specs() { return {{"exports", true, true}, {"kit", true, true}}; }

std::vector<OptionSpec> analysis_option_specs() {
    std::vector<OptionSpec> specs = input_option_specs();
    const auto exports = exports_option_specs();
    specs.insert(specs.end(), exports.begin(), exports.end());
    specs.insert(specs.end(), {{"keep", true, true}, {"keep-file", true, true}, {"config", true, false}, {"strict", false, false}});
    return specs;
}

AppRequest app_request_from(const ParsedOptions& options, std::string_view command) {
    AppRequest request;
    for (const auto& input : options.positional()) request.inputs.emplace_back(input);
    if (const auto config_file = options.value("config")) {
        const AppConfig config = read_app_config(*config_file);
        request.settings_read.emplace_back(*config_file);
        request.keeps = config.keep;
        request.keep_files = config.keep_files;
        request.manifests = config.manifests;
        request.defines = config.defines;
        request.strict = config.strict;
    }
    for (const auto& manifest : options.values("manifest")) request.manifests.emplace_back(manifest);
    for (const auto& keep_file : options.values("keep-file")) request.keep_files.emplace_back(keep_file);
    for (const auto& keep : options.values("keep")) request.keeps.push_back(keep);
    for (const auto& define : options.values("define")) {
        const auto equals = define.find('=');
        if (equals == std::string::npos || equals == 0)
            throw UsageError("osv-symbols " + std::string(command) + ": --define takes VAR=VALUE, got '" + define + "'");
        request.defines[define.substr(0, equals)] = define.substr(equals + 1);
    }
    if (options.has("strict")) request.strict = true;
    for (const auto& keep_file : request.keep_files) {
        for (auto& name : parse_symbol_list(read_text_file(keep_file), keep_file, true)) request.keeps.push_back(std::move(name));
        request.settings_read.push_back(keep_file);
    }
    return request;
}

ExportSet export_set_from(const ParsedOptions& options, std::string_view command) {
    ExportSet exports;
    for (const auto& source : options.values("exports")) add_exports_from(source, exports);
    for (const auto& kit : options.values("kit")) add_exports_from_kit(kit, exports);
    if (exports.sources.empty())
        throw UsageError("osv-symbols " + std::string(command) +
                         ": --exports SOURCE or --kit KIT is required (the kernel's export universe)");
    if (exports.names.empty())
        throw InputError(quoted_path(exports.sources.front()) +
                         ": names no exported symbol; pass the kernel ELF, its version script or all.symbols");
    return exports;
}

AppInputs collect_app(const AppRequest& request) {
    return collect_app_inputs(request.inputs, request.manifests, request.defines);
}

}  // namespace osv
