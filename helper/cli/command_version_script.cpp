// osv-symbols version-script: the per-app linker version script, with report and depfile.
#include "app_analysis.hpp"
#include "atomic_output.hpp"
#include "commands.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "report.hpp"
#include "version_script.hpp"

namespace osv {
namespace {

constexpr const char* version_script_usage = R"(usage: osv-symbols version-script (--exports SOURCE | --kit KIT)... [INPUT...]
           [--manifest FILE]... [--define VAR=VALUE]... [--keep NAME_OR_GLOB]... [--keep-file FILE]
           [--config FILE.yaml] [--strict] [--depfile FILE] [--report FILE.yaml] [-o OUT]

Writes the linker version script an app-specialized kernel is linked with:
  (the app's imports that the kernel exports) + (kept names and globs matched against exports)
sorted in byte order, from templates/version_script.in. Outputs are written atomically and only
when their content changes, so a relink that depends on the script is skipped when the app's
imports did not change.

  --exports SOURCE     the kernel's exports: ELF kernel, version script or list (repeatable: union)
  --kit KIT            a kernel kit's exports (from 'osv-symbols kit capture')
  INPUT                ELF executable or shared library, or a folder (searched recursively)
  --manifest FILE      an OSv usr.manifest whose host files are inputs (repeatable)
  --define VAR=VALUE   value for ${VAR} / %(VAR)s in manifests (repeatable)
  --keep NAME_OR_GLOB  export this too, e.g. a name the app looks up with dlsym (repeatable)
  --keep-file FILE     names or globs to keep, one per line, '#' comments
  --config FILE.yaml   keys: keep, keep_files, manifests, defines, strict (flags win)
  --strict             unresolved imports are an error (exit 1, nothing written)
  --depfile FILE       Make-syntax dependencies of OUT: every file read
  --report FILE.yaml   inputs, counts, unresolved imports, dlsym warnings and candidates
  -o, --output OUT     the version script ('-' or absent: standard output)
)";

}  // namespace

int run_version_script(const Arguments& args) {
    if (print_help_if_asked(args, version_script_usage)) return 0;
    auto specs = analysis_option_specs();
    specs.insert(specs.end(), {{"depfile", true, false}, {"report", true, false}, {"output", true, false, 'o'}});
    const ParsedOptions options = parse_options("version-script", args, specs, true);
    const std::filesystem::path output = options.value("output").value_or("-");
    if (options.has("depfile") && is_stdout(output))
        throw UsageError("osv-symbols version-script: --depfile needs -o FILE (the depfile's target)");

    const AppAnalysis analysis = analyse_app(options, "version-script", options.has("report"));
    // A build log needs the gist; the report has every name.
    print_diagnostics(analysis, options.has("report") ? 20 : all_lines);
    if (analysis.request.strict && !analysis.plan.unresolved.empty())
        throw CheckFailed(unresolved_failure(analysis.plan, "under --strict") + "; nothing written");

    std::vector<std::string> read = analysis.app.files_read;  // strings: a library folder is 1,500 files
    for (const auto& file : analysis.request.settings_read) read.push_back(file.string());
    for (const auto& file : analysis.exports.sources) read.push_back(file.string());
    OutputBatch outputs;
    outputs.add(output, render_version_script(analysis.plan.script));
    if (const auto report = options.value("report"))
        outputs.add(*report, render_app_report(analysis.app.programs, analysis.app.skipped, analysis.plan));
    if (const auto depfile = options.value("depfile")) {
        std::vector<std::string> dependencies = read;
        for (const auto& folder : analysis.app.folders) dependencies.push_back(folder.string());
        outputs.add(*depfile, render_depfile(output, dependencies));
    }
    outputs.refuse_overlap(read);
    outputs.commit();
    return 0;
}

}  // namespace osv
