#include "relink.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "atomic_output.hpp"
#include "bootfs_object.hpp"
#include "debug_strip.hpp"
#include "elf_file.hpp"
#include "error.hpp"
#include "kit.hpp"
#include "process.hpp"
#include "text_input.hpp"
#include "version_script.hpp"

namespace osv {
namespace {

// GNU ld options that ld.lld rejects; they only tune warnings, so dropping them is safe.
bool is_bfd_only_option(const std::string& arg) {
    static const std::set<std::string, std::less<>> bfd_only = {
        "--no-warn-rwx-segments", "--warn-rwx-segments", "--no-warn-execstack", "--warn-execstack",
        "--no-relax-gp",          "-relax",              "--no-error-rwx-segments"};
    return bfd_only.count(arg) > 0;
}

void run_step(const std::vector<std::string>& argv, const std::filesystem::path& cwd, const char* what) {
    const ProcessResult result = run_process(argv, cwd, false);
    if (result.exit_status != 0)
        throw InputError(std::string(what) + " failed (" + argv[0] + " exit " + std::to_string(result.exit_status) +
                         "); its messages are above");
}

std::string linker_name(const std::vector<std::string>& argv) {
    const std::string program = std::filesystem::path(argv.front()).filename().string();
    return program == "ld" ? "ld.bfd" : program;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : " ") + name;
    return text.empty() ? "(none)" : text;
}

}  // namespace

std::vector<std::string> link_command_for(std::vector<std::string> argv, LinkerChoice linker, bool icf) {
    if (linker == LinkerChoice::bfd) argv.front() = "ld.bfd";
    if (linker == LinkerChoice::lld) {
        argv.front() = "ld.lld";
        argv.erase(std::remove_if(argv.begin() + 1, argv.end(), is_bfd_only_option), argv.end());
    }
    const bool is_lld = linker_name(argv).find("lld") != std::string::npos;
    if (icf) {
        if (!is_lld) throw UsageError("osv-symbols relink: --icf needs --linker lld (ld.bfd has no identical code folding)");
        argv.push_back("--icf=all");
    }
    return argv;
}

RelinkResult relink_kernel(const RelinkRequest& request, OutputBatch& outputs) {
    const Kit kit = read_kit(request.kit_file);
    verify_kit_inputs(kit, request.kit_file);
    std::error_code ec;
    if (!std::filesystem::is_directory(kit.link_cwd, ec))
        throw InputError(quoted_path(request.kit_file) + ": link.cwd '" + quoted_path(kit.link_cwd) +
                         "' is not a folder; recapture the kit with osv-symbols kit capture");
    const std::filesystem::path script = std::filesystem::absolute(request.version_script);
    const std::vector<std::string> script_names = parse_version_script_globals(read_text_file(script), request.version_script);

    const std::filesystem::path output = std::filesystem::absolute(request.output);
    TemporaryFile linked(request.unstripped ? std::filesystem::absolute(*request.unstripped) : output);
    TemporaryFile stripped(output);

    // Debug info is most of what the link reads and writes, and the stripped kernel drops it: link
    // cached debug-stripped copies of the inputs (the same stripped kernel, several times faster),
    // unless the unstripped kernel is wanted with its debug info.
    std::vector<std::string> link_argv = kit.link_argv;
    if (!request.unstripped && !kit.debug_stripped)
        link_argv = with_replaced_inputs(link_argv, kit.link_cwd, debug_stripped_inputs(kit));
    // The app's files built into the kernel (--rootfs=ramfs) through its own bootfs.o.
    std::optional<TemporaryFile> bootfs_object;
    if (request.bootfs) {
        bootfs_object.emplace(output);
        assemble_bootfs_object(*request.bootfs, bootfs_object->path());
        link_argv = with_bootfs_object(link_argv, bootfs_object->path(), request.kit_file);
    }
    std::vector<std::string> link = link_command_for(link_argv, request.linker, request.icf);
    for (auto& arg : link)
        arg = fill_placeholders(arg, {{kit_output, linked.path().string()}, {kit_version_script, script.string()}});
    const auto start = std::chrono::steady_clock::now();
    run_step(link, kit.link_cwd, "the kernel link");
    const std::chrono::duration<double> link_time = std::chrono::steady_clock::now() - start;

    const std::vector<std::string> strip = strip_command(kit.strip_argv, linked.path(), stripped.path());
    run_step(strip, kit.link_cwd, "stripping the kernel");

    // The kernel must export exactly the script's names that it defines: no more (the script did
    // not take effect), no fewer (a name was garbage-collected or never there).
    const std::set<std::string> universe(kit.exports.begin(), kit.exports.end());
    std::vector<std::string> expected;
    for (const auto& name : script_names)
        if (universe.count(name)) expected.push_back(name);
    const ElfSymbols result = read_elf_symbols(stripped.path());
    if (result.definitions != expected) {
        std::vector<std::string> missing, extra;
        std::set_difference(expected.begin(), expected.end(), result.definitions.begin(), result.definitions.end(),
                            std::back_inserter(missing));
        std::set_difference(result.definitions.begin(), result.definitions.end(), expected.begin(), expected.end(),
                            std::back_inserter(extra));
        throw CheckFailed("the relinked kernel's exports differ from the version script: missing " + joined(missing) +
                          "; unexpected " + joined(extra) + "; nothing written");
    }

    RelinkResult out;
    out.summary.linker = linker_name(link);
    out.summary.icf = request.icf;
    out.summary.base_size = kit.base_stripped_size;
    out.summary.new_size = std::filesystem::file_size(stripped.path());
    out.summary.base_exports = kit.exports.size();
    out.summary.new_exports = result.definitions.size();
    out.summary.link_seconds = link_time.count();
    out.exports = result.definitions;
    outputs.add_file(output, std::move(stripped));
    if (request.unstripped) outputs.add_file(std::filesystem::absolute(*request.unstripped), std::move(linked));
    out.files_read = {request.kit_file, request.version_script};
    if (request.bootfs) out.files_read.push_back(*request.bootfs);
    for (const auto& input : kit.inputs) out.files_read.push_back(input.path);
    out.kit_files = {kit.base_kernel};
    if (!kit.base_files.empty()) out.kit_files.push_back(kit.base_files);
    return out;
}

}  // namespace osv
