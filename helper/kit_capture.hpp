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
};

// Throws InputError when the tree is not built, not built with conf_hide_symbols=1, or the dry
// run does not show the link.
Kit capture_kit(const CaptureRequest& request);

// The parsing half, separated so it can be tested on text: finds the link of `<out>/loader.elf`
// and its strip among make's dry-run output and puts the placeholders in.
struct CapturedCommands {
    std::vector<std::string> link_argv;
    std::vector<std::string> strip_argv;
};
CapturedCommands find_kernel_commands(std::string_view make_output, const std::string& out_dir);

}  // namespace osv
