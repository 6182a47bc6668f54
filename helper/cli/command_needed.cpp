// osv-symbols needed: the union of an app's undefined dynamic symbols, optionally per file.
#include <algorithm>
#include <set>

#include "app_request.hpp"
#include "atomic_output.hpp"
#include "commands.hpp"
#include "symbol_sets.hpp"

namespace osv {
namespace {

constexpr const char* needed_usage = R"(usage: osv-symbols needed [INPUT...] [--manifest FILE]... [--define VAR=VALUE]...
                          [--by-file] [-o OUT]

Prints the symbols an app imports: the undefined dynamic symbols (global and weak, version
suffix removed) of every ELF executable and shared library given, sorted, one per line.

  INPUT                an ELF executable or shared library, or a folder searched recursively
                       (files there that are not ELF programs are skipped and counted)
  --manifest FILE      an OSv usr.manifest; its host files are inputs (repeatable)
  --define VAR=VALUE   value for ${VAR} / %(VAR)s in manifests (repeatable)
  --by-file            group the names under each file that imports them
  -o, --output OUT     write here ('-' or absent: standard output)
)";

}  // namespace

int run_needed(const Arguments& args) {
    if (print_help_if_asked(args, needed_usage)) return 0;
    auto specs = input_option_specs();
    specs.insert(specs.end(), {{"by-file", false, false}, {"output", true, false, 'o'}});
    const ParsedOptions options = parse_options("needed", args, specs, true);
    const AppRequest request = app_request_from(options, "needed");
    if (request.inputs.empty() && request.manifests.empty())
        throw UsageError("osv-symbols needed: no INPUT or --manifest given");
    const AppInputs app = collect_app(request);

    std::string text;
    if (options.has("by-file")) {
        for (const auto& program : app.programs) {
            text += program.path + ":" + (program.is_static ? " # static, imports nothing" : "") + "\n";
            std::vector<std::string_view> names;  // imports come in id order: list them sorted
            for (const auto& import : program.imports) names.push_back(program.name(import));
            std::sort(names.begin(), names.end());
            for (const auto name : names) text.append("  ").append(name).append("\n");
        }
    } else {
        for (const auto& name : needed_symbols(app.programs)) text += name + "\n";
    }
    OutputBatch outputs;
    outputs.add(options.value("output").value_or("-"), text);
    outputs.refuse_overlap(app.files_read);
    outputs.commit();
    return 0;
}

}  // namespace osv
