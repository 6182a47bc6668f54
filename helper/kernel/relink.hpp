// Relinking a kit's kernel with an app's version script: run the captured link into the output's
// folder (never into the OSv tree), strip, verify the exports, and install atomically.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "atomic_output.hpp"
#include "report.hpp"

namespace osv {

enum class LinkerChoice { as_captured, bfd, lld };

struct RelinkRequest {
    std::filesystem::path kit_file;
    std::filesystem::path version_script;
    std::filesystem::path output;                      // the stripped, bootable kernel
    std::optional<std::filesystem::path> unstripped;   // keep the linked file too
    LinkerChoice linker = LinkerChoice::as_captured;
    bool icf = false;                                  // --icf=all, lld only
    std::optional<std::filesystem::path> bootfs;       // an app's bootfs archive to build in
};

struct RelinkResult {
    RelinkSummary summary;
    std::vector<std::string> exports;                  // what the new kernel exports
    std::vector<std::filesystem::path> files_read;     // kit, script and every link input
    std::vector<std::filesystem::path> kit_files;      // the generic kernel and base files: never outputs
};

// Links, strips and verifies; the kernel (and the unstripped file) are staged in `outputs` for the
// caller to commit with its other outputs. Throws InputError (bad kit, changed inputs, link
// failure) or CheckFailed (exports differ from the script), having staged nothing.
RelinkResult relink_kernel(const RelinkRequest& request, OutputBatch& outputs);

// The link argv for a linker choice: lld drops options only ld.bfd knows and may add --icf=all.
std::vector<std::string> link_command_for(std::vector<std::string> argv, LinkerChoice linker, bool icf);

}  // namespace osv
