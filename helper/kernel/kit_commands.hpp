// What a kit may ask relink to run. A kit's link and strip commands are executed, so a kit is code
// (trusted like a Makefile); this check still narrows what a tampered or careless kit can do: the
// program is a linker (a strip), every file it reads is a fingerprinted kit input, and the only
// file it writes is {output}. Options are an allowlist: ld accepts abbreviated and single-dash long
// options, so a denylist of file-writing options (-Map, --dependency-file, ...) could be dodged.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv {

struct Kit;

// The first reason the kit's commands may not run (a phrase naming the field and the argument),
// or an empty string when they are fine.
std::string kit_command_problem(const Kit& kit);

// The files a link command names through file-valued options other than linker scripts
// (--version-script=FILE, --dynamic-list FILE, ...), placeholders left out: kit inputs too.
std::vector<std::string> link_option_files(const std::vector<std::string>& argv);

}  // namespace osv
