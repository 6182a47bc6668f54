#include "kit_capture.hpp"

#include <algorithm>
#include <set>

#include "atomic_output.hpp"
#include "content_hash.hpp"
#include "error.hpp"
#include "image_tree.hpp"
#include "kit_commands.hpp"
#include "process.hpp"
#include "text_input.hpp"

namespace osv {
namespace {

bool is_output_option(const std::vector<std::string>& argv, std::size_t i, const std::string& path) {
    return (argv[i] == "-o" && i + 1 < argv.size() && argv[i + 1] == path) || argv[i] == "-o" + path;
}

bool names_output(const std::vector<std::string>& argv, const std::string& path) {
    for (std::size_t i = 0; i < argv.size(); ++i)
        if (is_output_option(argv, i, path)) return true;
    return false;
}

bool looks_like_linker(const std::string& program) {
    const std::string name = std::filesystem::path(program).filename().string();
    return name == "ld" || name.starts_with("ld.") || name.ends_with("-ld") || name.find("-ld.") != std::string::npos;
}

std::vector<std::string> with_link_placeholders(std::vector<std::string> argv, const std::string& output) {
    bool has_version_script = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "-o" && i + 1 < argv.size() && argv[i + 1] == output) {
            argv[++i] = std::string(kit_output);
        } else if (argv[i] == "-o" + output) {
            argv[i] = "-o" + std::string(kit_output);
        } else if (argv[i].starts_with("--version-script=")) {
            argv[i] = "--version-script=" + std::string(kit_version_script);
            has_version_script = true;
        } else if (argv[i] == "--version-script" && i + 1 < argv.size()) {
            argv[++i] = std::string(kit_version_script);
            has_version_script = true;
        }
    }
    if (!has_version_script)
        throw InputError("the kernel link has no --version-script: the tree was not built with conf_hide_symbols=1; "
                         "rebuild OSv with conf_hide_symbols=1");
    return argv;
}

// Linker scripts may INCLUDE others (OSv's loader.ld includes libc/aliases.ld); they are inputs too.
void add_linker_script(const std::filesystem::path& cwd, const std::string& name,
                       const std::vector<std::filesystem::path>& search, std::set<std::filesystem::path>& inputs) {
    std::filesystem::path found;
    for (const auto& folder : search) {
        const auto candidate = (folder.is_absolute() ? folder : cwd / folder) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            found = candidate.lexically_normal();
            break;
        }
    }
    if (found.empty() || !inputs.insert(found).second) return;
    const std::string text = read_text_file(found);
    for (std::size_t at = text.find("INCLUDE"); at != std::string::npos; at = text.find("INCLUDE", at + 7)) {
        std::size_t start = text.find_first_not_of(" \t\n\r", at + 7);
        if (start == std::string::npos) break;
        const bool quoted = text[start] == '"';
        if (quoted) ++start;
        const auto end = quoted ? text.find('"', start) : text.find_first_of(" \t\n\r;", start);
        add_linker_script(cwd, text.substr(start, end - start), search, inputs);
    }
}

std::vector<std::filesystem::path> link_inputs(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
    std::vector<std::filesystem::path> search = {"."};
    for (std::size_t i = 1; i < argv.size(); ++i) {
        if (argv[i] == "-L" && i + 1 < argv.size()) search.emplace_back(argv[i + 1]);
        else if (argv[i].starts_with("-L")) search.emplace_back(argv[i].substr(2));
    }
    std::set<std::filesystem::path> inputs;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if ((arg == "-T" || arg == "--script") && i + 1 < argv.size()) {
            add_linker_script(cwd, argv[++i], {"."}, inputs);
        } else if (arg.starts_with("-T") && arg.size() > 2) {
            add_linker_script(cwd, arg.substr(2), {"."}, inputs);
        } else if (arg.starts_with("--script=")) {
            add_linker_script(cwd, arg.substr(9), {"."}, inputs);
        } else if (!arg.starts_with("-") && arg.find('{') == std::string::npos) {
            const auto path = (cwd / arg).lexically_normal();
            std::error_code ec;
            if (std::filesystem::is_regular_file(path, ec)) inputs.insert(path);
        }
    }
    // Files named by options (--version-script=FILE, --dynamic-list FILE, ...) are read too.
    for (const auto& file : link_option_files(argv)) {
        const auto path = (cwd / file).lexically_normal();
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec)) inputs.insert(path);
    }
    // INCLUDEs inside -T scripts may also come from -L folders.
    std::set<std::filesystem::path> scripts;
    for (const auto& input : inputs)
        if (input.extension() == ".ld") scripts.insert(input);
    for (const auto& script : scripts) {
        inputs.erase(script);
        add_linker_script(cwd, std::filesystem::relative(script, cwd).string(), search, inputs);
    }
    return {inputs.begin(), inputs.end()};
}

void require_per_function_sections(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& root) {
    bool any_object = false;
    for (const auto& input : inputs) {
        if (input.extension() != ".o") continue;
        any_object = true;
        if (has_per_function_sections(input)) return;
    }
    if (any_object)
        throw InputError(quoted_path(root) + ": the kernel's objects have no per-function sections (-ffunction-sections); "
                         "rebuild OSv with conf_hide_symbols=1");
}

// What both capture modes share: the inputs with their fingerprints, the exports and the base
// size, from a link command whose placeholders are in place.
Kit assemble_kit(const std::filesystem::path& source, const std::filesystem::path& cwd, std::vector<std::string> link_argv,
                 std::vector<std::string> strip_argv, const std::filesystem::path& kernel,
                 const std::filesystem::path& scratch_beside) {
    Kit kit;
    kit.link_cwd = cwd;
    kit.link_argv = std::move(link_argv);
    kit.strip_argv = std::move(strip_argv);
    kit.base_kernel = kernel;
    const auto inputs = link_inputs(kit.link_argv, cwd);
    require_per_function_sections(inputs, cwd);
    for (const auto& input : inputs)
        kit.inputs.push_back({input, std::filesystem::file_size(input), file_fingerprint(input)});
    // relink refuses to run a kit's commands that could do more than link its inputs: refuse to write such a kit.
    if (const std::string problem = kit_command_problem(kit); !problem.empty())
        throw InputError(quoted_path(source) + ": the kernel link cannot be captured: " + problem +
                         "; relink runs only a linker and a strip that read the kit's inputs and write {output}");

    const ElfSymbols generic = read_elf_symbols(kernel);
    kit.arch = generic.arch;
    kit.exports = generic.definitions;

    // The base size is the generic kernel stripped the same way a relinked one will be.
    // Absolute: the strip runs in the link's folder, and must not write there.
    TemporaryFile stripped(std::filesystem::absolute(scratch_beside));
    const std::vector<std::string> strip = strip_command(kit.strip_argv, kernel, stripped.path());
    const ProcessResult strip_run = run_process(strip, cwd, false);
    if (strip_run.exit_status != 0)
        throw InputError(quoted_path(kernel) + ": stripping the generic kernel failed (exit " +
                         std::to_string(strip_run.exit_status) + ")");
    kit.base_stripped_size = std::filesystem::file_size(stripped.path());
    return kit;
}

// The base files manifest, absolute and read once now so a bad one fails the capture, not a build later.
std::filesystem::path checked_base_files(const std::filesystem::path& manifest) {
    if (manifest.empty()) return {};
    build_guest_tree({manifest}, {});
    return std::filesystem::absolute(manifest).lexically_normal();
}

}  // namespace

CapturedCommands find_kernel_commands(std::string_view make_output, const std::string& out_dir) {
    const std::string kernel = out_dir + "/loader.elf";
    const std::string stripped = out_dir + "/loader-stripped.elf";
    CapturedCommands found;
    std::size_t links = 0;
    std::size_t start = 0;
    while (start < make_output.size()) {
        const auto end = std::min(make_output.find('\n', start), make_output.size());
        const auto line = make_output.substr(start, end - start);
        start = end + 1;
        for (auto& argv : split_shell_commands(line)) {
            if (argv.empty()) continue;
            if (looks_like_linker(argv[0]) && names_output(argv, kernel)) {
                ++links;
                found.link_argv = with_link_placeholders(argv, kernel);
            } else if (names_output(argv, stripped) && std::find(argv.begin(), argv.end(), kernel) != argv.end()) {
                for (auto& arg : argv) {
                    if (arg == kernel) arg = std::string(kit_input);
                    else if (arg == stripped) arg = std::string(kit_output);
                    else if (arg == "-o" + stripped) arg = "-o" + std::string(kit_output);
                }
                found.strip_argv = argv;
            }
        }
    }
    if (links == 0)
        throw InputError("make's dry run shows no link of " + kernel +
                         "; pass the options the tree was built with via --make-arg");
    if (links > 1) throw InputError("make's dry run shows " + std::to_string(links) + " links of " + kernel + "; expected one");
    if (found.strip_argv.empty())
        found.strip_argv = {"strip", std::string(kit_input), "-o", std::string(kit_output)};
    return found;
}

Kit capture_kit(const CaptureRequest& request) {
    std::error_code ec;
    const auto root = std::filesystem::absolute(request.osv_root).lexically_normal();
    if (!std::filesystem::is_regular_file(root / "Makefile", ec))
        throw InputError(quoted_path(root) + ": not an OSv tree (no Makefile); pass --osv-root of a built OSv checkout");
    const std::filesystem::path build =
        request.build_dir.is_absolute() ? request.build_dir.lexically_normal() : (root / request.build_dir).lexically_normal();
    const std::string out_dir = std::filesystem::relative(build, root).generic_string();
    const auto kernel = build / "loader.elf";
    if (!std::filesystem::is_regular_file(kernel, ec))
        throw InputError(quoted_path(kernel) + ": no kernel; build OSv first (scripts/build conf_hide_symbols=1 ...)");
    if (!std::filesystem::is_regular_file(build / "version_script", ec))
        throw InputError(quoted_path(build) + ": no version_script: the tree was not built with conf_hide_symbols=1; "
                         "rebuild OSv with conf_hide_symbols=1");

    std::vector<std::string> make = {"make", "-n", "V=1", "conf_hide_symbols=1"};
    make.insert(make.end(), request.make_args.begin(), request.make_args.end());
    make.insert(make.end(), {"-W", out_dir + "/version_script", out_dir + "/loader.elf", out_dir + "/loader-stripped.elf"});
    const ProcessResult dry_run = run_process(make, root, true);
    if (dry_run.exit_status != 0)
        throw InputError(quoted_path(root) + ": 'make -n' failed (exit " + std::to_string(dry_run.exit_status) +
                         "); pass the options the tree was built with via --make-arg");
    const CapturedCommands commands = find_kernel_commands(dry_run.standard_output, out_dir);

    Kit kit = assemble_kit(root, root, commands.link_argv, commands.strip_argv, kernel, request.scratch_beside);
    kit.base_files = checked_base_files(request.base_files);
    return kit;
}

std::vector<std::string> read_link_command(const std::filesystem::path& file) {
    const std::string text = read_text_file(file);
    std::vector<std::string> argv;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) argv.push_back(std::move(line));
    }
    if (argv.empty()) throw InputError(quoted_path(file) + ": empty link command; write the link's argv, one argument a line");
    for (const auto placeholder : {kit_output, kit_version_script}) {
        const bool found = std::any_of(argv.begin(), argv.end(),
                                       [&](const std::string& arg) { return arg.find(placeholder) != std::string::npos; });
        if (!found)
            throw InputError(quoted_path(file) + ": the link command lacks the " + std::string(placeholder) +
                             " placeholder; put it where the output (-o) and the --version-script file go");
    }
    return argv;
}

Kit capture_kit_from_link_command(const SavedLinkRequest& request) {
    std::error_code ec;
    const auto cwd = std::filesystem::absolute(request.cwd).lexically_normal();
    if (!std::filesystem::is_directory(cwd, ec))
        throw InputError(quoted_path(request.cwd) + ": not a folder; --cwd names the folder the link runs in");
    const auto kernel = std::filesystem::absolute(request.base_kernel).lexically_normal();
    if (!std::filesystem::is_regular_file(kernel, ec))
        throw InputError(quoted_path(request.base_kernel) + ": " + missing_file_text(ec, "no such file") + "; --base-kernel names the generic kernel");
    const std::vector<std::string> strip = {"strip", std::string(kit_input), "-o", std::string(kit_output)};
    Kit kit = assemble_kit(request.link_command, cwd, read_link_command(request.link_command), strip, kernel, request.scratch_beside);
    kit.base_files = checked_base_files(request.base_files);
    return kit;
}

}  // namespace osv
