// osv-symbols: dispatches to one subcommand and turns its errors into one line and an exit status.
#include <cstring>
#include <iostream>
#include <map>
#include <string_view>

#include "commands.hpp"
#include "error.hpp"
#include "text_input.hpp"

#ifndef OSV_SPECIALIZE_VERSION
#error "the build defines OSV_SPECIALIZE_VERSION"
#endif

namespace {

constexpr const char* usage = R"(usage: osv-symbols COMMAND [OPTIONS]

Builds app-specialized OSv kernels: finds the symbols an app imports and relinks the kernel so
that it exports only those.

commands:
  needed          the undefined dynamic symbols of an app's ELF files
  exports         the export universe of a kernel (ELF, version script, list or kit)
  version-script  the per-app linker version script (and report, depfile)
  check           fail (exit 1) when an import is provided by neither kernel nor app
  kit capture     record how a built OSv tree (or a saved link command) links its kernel
  kit bundle      pack a kit into one relocatable file (--kit takes it everywhere)
  relink          relink a kit's kernel with a version script, strip and verify it
  image rofs      an app's files as a raw rofs disk for --rootfs=rofs
  image bootfs    an app's files as the kernel's built-in archive for --rootfs=ramfs
  closure         the manifest of the shared libraries an app needs besides OSv's kernel
  explain         what is in a (specialized) kernel and why: sizes by component and export

Run 'osv-symbols COMMAND --help' for a command's options.
exit status: 0 success, 1 check failed, 2 usage or input error
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace osv;
    const Arguments all(argv + 1, argv + argc);
    if (all.empty()) {
        std::cerr << usage;  // a usage error: the text goes where errors go
        return exit_status::bad_input;
    }
    if (all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
        std::cout << usage;
        return exit_status::ok;
    }
    if (all[0] == "--version") {
        std::cout << "osv-symbols " << OSV_SPECIALIZE_VERSION << "\n";
        return exit_status::ok;
    }
    static const std::map<std::string, int (*)(const Arguments&)> commands = {
        {"needed", run_needed}, {"exports", run_exports}, {"version-script", run_version_script},
        {"check", run_check},   {"kit", run_kit},         {"relink", run_relink},
        {"image", run_image},
        {"closure", run_closure}, {"explain", run_explain},
    };
    const auto command = commands.find(all[0]);
    if (command == commands.end()) {
        std::cerr << "osv-symbols: error: unknown command '" << single_line(all[0]) << "'; run 'osv-symbols --help'\n";
        return exit_status::bad_input;
    }
    try {
        return command->second(Arguments(all.begin() + 1, all.end()));
    } catch (const UsageError& error) {
        // One prefix for every error: "osv-symbols: error: <command>: what; the fix (see ...)".
        std::string_view what = error.what();
        if (what.starts_with("osv-symbols ")) what.remove_prefix(12);
        std::cerr << "osv-symbols: error: " << single_line(what) << " (see 'osv-symbols " << all[0] << " --help')\n";
        return exit_status::bad_input;
    } catch (const InputError& error) {
        std::cerr << "osv-symbols: error: " << single_line(error.what()) << "\n";
        return exit_status::bad_input;
    } catch (const CheckFailed& error) {
        std::cerr << "osv-symbols: " << single_line(error.what()) << "\n";
        return exit_status::check_failed;
    } catch (const std::exception& error) {
        std::cerr << "osv-symbols: error: internal error: " << single_line(error.what()) << "; please report it\n";
        return exit_status::bad_input;
    }
}
