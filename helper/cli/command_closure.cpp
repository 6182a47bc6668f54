// osv-symbols closure: the manifest of the shared libraries an app needs besides OSv's kernel.
#include <iostream>

#include "app_request.hpp"
#include "atomic_output.hpp"
#include "commands.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "library_closure.hpp"
#include "library_manifest.hpp"
#include "report.hpp"

namespace osv {
namespace {

constexpr const char* closure_usage = R"(usage: osv-symbols closure [INPUT...] [--manifest FILE]... [--define VAR=VALUE]...
                           [--library-path DIR]... [--sysroot DIR] [--guest-dir DIR]
                           [--report FILE.yaml] [--depfile FILE] [--strict] -o libs.manifest

Finds the shared libraries the app's ELF files need (DT_NEEDED, followed transitively) the way
glibc's ld.so would: DT_RPATH (of files without DT_RUNPATH, inherited from the files that loaded
them), --library-path, DT_RUNPATH, then /lib/<multiarch>, /usr/lib/<multiarch>, /lib, /usr/lib,
/usr/local/lib; $ORIGIN is the file's folder. Files are only read, never run (unlike ldd).
glibc's own libraries are skipped: OSv's kernel provides them. Writes an OSv manifest with one
'GUEST_DIR/<needed name>: <host path>' line per library, for --manifest beside the app's own.

  INPUT                an ELF executable or shared library, or a folder searched recursively
  --manifest FILE      an OSv usr.manifest; its host files are inputs, and its guest paths are
                       not written again (repeatable)
  --define VAR=VALUE   value for ${VAR} / %(VAR)s in manifests (repeatable)
  --library-path DIR   searched like LD_LIBRARY_PATH, after DT_RPATH and before DT_RUNPATH (repeatable)
  --sysroot DIR        the default folders and absolute DT_RPATH/DT_RUNPATH/--library-path folders
                       are taken inside DIR; $ORIGIN stays the file's real folder
  --guest-dir DIR      where the libraries go in the image (default /usr/lib, where OSv looks)
  --strict             a library not found is an error (exit 1, nothing written)
  --report FILE.yaml   per needed name: the file and rule that found it, who needs it; kernel-provided
                       and missing names with the folders searched
  --depfile FILE       Make-syntax dependencies of OUT: every file read and folder searched
  -o, --output OUT     the manifest ('-': standard output)
)";

}  // namespace

int run_closure(const Arguments& args) {
    if (print_help_if_asked(args, closure_usage)) return 0;
    auto specs = input_option_specs();
    specs.insert(specs.end(), {{"library-path", true, true},
                               {"sysroot", true, false},
                               {"guest-dir", true, false},
                               {"strict", false, false},
                               {"report", true, false},
                               {"depfile", true, false},
                               {"output", true, false, 'o'}});
    const ParsedOptions options = parse_options("closure", args, specs, true);
    const AppRequest request = app_request_from(options, "closure");
    if (request.inputs.empty() && request.manifests.empty())
        throw UsageError("osv-symbols closure: no INPUT or --manifest given");
    if (!options.has("output")) throw UsageError("osv-symbols closure: -o FILE is required (the libraries' manifest)");
    const std::filesystem::path output = *options.value("output");
    if (options.has("depfile") && is_stdout(output))
        throw UsageError("osv-symbols closure: --depfile needs -o FILE (the depfile's target)");
    const std::filesystem::path guest_dir = options.value("guest-dir").value_or("/usr/lib");
    if (!guest_dir.is_absolute())
        throw UsageError("osv-symbols closure: --guest-dir takes an absolute guest folder, got '" + quoted_path(guest_dir) + "'");

    ClosureOptions closure_options;
    for (const auto& folder : options.values("library-path")) closure_options.library_path.emplace_back(folder);
    if (const auto sysroot = options.value("sysroot")) {
        std::error_code ec;
        if (!std::filesystem::is_directory(*sysroot, ec))
            throw InputError(*sysroot + ": --sysroot is not a folder; pass the root of the target's file system");
        closure_options.sysroot = std::filesystem::absolute(*sysroot).lexically_normal();
    }

    const AppInputs app = collect_app(request);
    std::vector<std::filesystem::path> app_files;
    for (const auto& program : app.programs) app_files.push_back(program.path);
    const LibraryClosure closure = find_library_closure(app_files, closure_options);

    std::size_t missing = 0;
    for (const auto& library : closure.libraries) {
        if (library.outcome != NeedOutcome::not_found) continue;
        ++missing;
        std::cerr << "osv-symbols: warning: " << library.name << " (needed by " << quoted_path(library.first_requester)
                  << ") not found; pass its folder with --library-path or add it to a manifest\n";
    }
    for (const auto& note : closure.notes) std::cerr << "osv-symbols: note: " << note << "\n";
    if (request.strict && missing > 0)
        throw CheckFailed(std::to_string(missing) + " needed librar" + (missing == 1 ? "y" : "ies") +
                          " not found under --strict; nothing written");

    std::vector<std::filesystem::path> read = closure.files_read;
    read.insert(read.end(), app.files_read.begin(), app.files_read.end());
    OutputBatch outputs;
    outputs.add(output, render_library_manifest(library_manifest_entries(closure, guest_dir, app.guest_paths)));
    if (const auto report = options.value("report")) outputs.add(*report, render_closure_report(app_files, closure));
    if (const auto depfile = options.value("depfile")) {
        // Folders too: a library added to one of them may now be found first.
        std::vector<std::filesystem::path> dependencies = read;
        dependencies.insert(dependencies.end(), app.folders.begin(), app.folders.end());
        dependencies.insert(dependencies.end(), closure.folders_searched.begin(), closure.folders_searched.end());
        outputs.add(*depfile, render_depfile(output, dependencies));
    }
    outputs.refuse_overlap(read);
    outputs.commit();
    return 0;
}

}  // namespace osv
