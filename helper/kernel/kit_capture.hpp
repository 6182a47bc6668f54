// Capturing a kit from a built OSv tree: ask OSv's own Makefile (a dry run, `make -n V=1`) for the
// exact loader.elf link line, so the object list is never a hand-maintained copy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kit.hpp"

namespace osv {

struct CaptureRequest {
    std::filesystem::path osv_root;
    std::filesystem::path build_dir = "build/release.x64";  // relative to osv_root, or absolute
    std::vector<std::string> make_args;                     // the options the tree was built with
    std::filesystem::path scratch_beside;                   // where a temporary stripped kernel may go
    std::filesystem::path base_files;                       // a manifest of OSv's base files, or empty
};

// Throws InputError when the tree is not built, not built with conf_hide_symbols=1, or the dry
// run does not show the link.
Kit capture_kit(const CaptureRequest& request);

// A kernel whose link is known but that has no OSv make to ask (a saved tree, a CI artifact):
// the link command is a file with one argument a line and the {output} and {version_script}
// placeholders, run from `cwd`; `base_kernel` is the generic kernel (stripped or not).
struct SavedLinkRequest {
    std::filesystem::path link_command;
    std::filesystem::path cwd;
    std::filesystem::path base_kernel;
    std::filesystem::path scratch_beside;
    std::filesystem::path base_files;
};
Kit capture_kit_from_link_command(const SavedLinkRequest& request);

// One argument a line; blank lines are ignored. Throws InputError without both placeholders.
std::vector<std::string> read_link_command(const std::filesystem::path& file);

// The parsing half, separated so it can be tested on text: finds the link of `<out>/loader.elf`
// and its strip among make's dry-run output and puts the placeholders in.
struct CapturedCommands {
    std::vector<std::string> link_argv;
    std::vector<std::string> strip_argv;
};
CapturedCommands find_kernel_commands(std::string_view make_output, const std::string& out_dir);

}  // namespace osv
