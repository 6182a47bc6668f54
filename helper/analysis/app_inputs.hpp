// Which ELF files make up an app: named files, folders searched recursively, and the host files
// of OSv manifests. Folders and manifests may hold anything; only programs and libraries count.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "elf_file.hpp"
#include "manifest.hpp"

namespace osv {

struct AppInputs {
    std::vector<ElfSymbols> programs;             // sorted by path, each file once; no definitions (below)
    std::vector<SymbolNames::Id> defined_imports;  // imported names some program defines, as ids in the
                                                   // table of names the programs share
    std::size_t skipped = 0;                      // files in folders/manifests that are not programs
    std::vector<std::string> files_read;          // manifests and programs, for dependency files (strings:
                                                  // a path's split components cost ~300 bytes a file)
    std::vector<std::filesystem::path> folders;     // folders walked: adding a file there changes the app
    std::vector<std::string> guest_paths;           // where the manifests put files in the image, sorted
    std::vector<std::filesystem::path> kernel_libraries;  // glibc's own libraries among the inputs (libc.so.6
                                                          // from ldd's list): OSv's kernel provides them, skipped
};

// Throws InputError when a named input is missing or not an executable/shared library, or when
// any program found is truncated or corrupted.
AppInputs collect_app_inputs(const std::vector<std::string>& inputs,
                             const std::vector<std::filesystem::path>& manifests, const ManifestDefines& defines);

}  // namespace osv
