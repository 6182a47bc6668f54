// A kernel kit: a small YAML file describing how to relink one base kernel — its architecture,
// export universe, the exact link command with placeholders, the post-link strip, and the files
// the link reads (with sizes and fingerprints, to refuse relinking against a changed tree).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "elf_file.hpp"
#include "exports.hpp"

namespace osv {

// Placeholders inside kit argv entries.
inline constexpr std::string_view kit_output = "{output}";
inline constexpr std::string_view kit_version_script = "{version_script}";
inline constexpr std::string_view kit_input = "{input}";

// Every placeholder of `values` filled ("-o{output}" works too) in one pass from left to right: a value is never searched
// again, so a path that itself contains "{version_script}" or "{output}" is passed as it is.
std::string fill_placeholders(std::string_view arg, const std::vector<std::pair<std::string_view, std::string>>& values);

// A kit's strip step for one file: strip_argv with {input} and {output} filled in.
std::vector<std::string> strip_command(const std::vector<std::string>& strip_argv, const std::filesystem::path& input,
                                       const std::filesystem::path& output);

struct KitInput {
    std::filesystem::path path;
    std::uintmax_t size = 0;
    std::string fingerprint;
};

struct Kit {
    ElfArch arch;
    std::filesystem::path base_kernel;       // the generic kernel (unstripped)
    std::uintmax_t base_stripped_size = 0;
    std::filesystem::path base_files;        // OSv's files every app image needs (libenviron.so,
                                             // /etc/hosts, /dev...), as a manifest; may be empty
    std::filesystem::path link_cwd;
    std::vector<std::string> link_argv;      // contains {output} and {version_script}
    bool debug_stripped = false;             // the inputs carry no debug info (a bundle's do)
    std::vector<std::string> strip_argv;     // contains {input} and {output}
    std::vector<KitInput> inputs;
    std::vector<std::string> exports;        // what the generic kernel exports, sorted
};

// Paths in the file are absolute or relative to the kit's folder; read_kit makes them absolute.
// A kit bundle (osv-symbols kit bundle) is read through its copy unpacked in the user cache.
Kit read_kit(const std::filesystem::path& kit_file);
std::string render_kit(const Kit& kit);

// Throws InputError naming the first input that is missing or changed since capture.
void verify_kit_inputs(const Kit& kit, const std::filesystem::path& kit_file);

void add_exports_from_kit(const std::filesystem::path& kit_file, ExportSet& into);

}  // namespace osv
