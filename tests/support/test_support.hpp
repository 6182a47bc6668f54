// What the doctest suites share: the ELF fixtures compiled once per run from tests/fixtures/src,
// the tool under test, scratch folders, and running programs with their output captured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace osv::test {

namespace fs = std::filesystem;

// The folder with the compiled fixtures (hello-pie, libgreet.so, fake-kernel.so, ...).
const fs::path& fixtures();

// fake-kernel.so's path: a library standing in for OSv's kernel.elf, for --exports.
std::string fake_kernel();

// tests/ in the source tree.
fs::path source_dir();

// A new empty folder for one test case.
fs::path scratch_dir();

struct Run {
    int status = -1;  // exit status, or 128 + signal
    std::string out, err;
};
Run run(const std::vector<std::string>& argv, const fs::path& cwd = {});

// Runs the osv-symbols binary under test (from $OSV_SYMBOLS) with these arguments.
Run osv_symbols(const std::vector<std::string>& args, const fs::path& cwd = {});

std::string read_file(const fs::path& path);
void write_file(const fs::path& path, const std::string& content);
std::vector<std::string> lines(const std::string& text);

// Names printed by `nm -D --undefined-only --without-symbol-versions` (the independent reference).
std::vector<std::string> nm_undefined(const fs::path& elf);
// Defined dynamic symbols as `nm -D --defined-only` prints them.
std::vector<std::string> nm_defined_dynamic(const fs::path& elf);

}  // namespace osv::test
