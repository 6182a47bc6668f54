// The OSv-shaped test kernel (tests/kernel), built once per test run, and kits captured from it.
#pragma once

#include <filesystem>
#include <string>

namespace osv::test {

// A built copy of tests/kernel with conf_hide_symbols=1 (or 0), as an OSv root.
const std::filesystem::path& test_kernel_root(bool hide_symbols = true);

// A fresh kit captured from the hidden-symbols test kernel into `dir`; returns its path.
std::filesystem::path capture_test_kit(const std::filesystem::path& dir);

}  // namespace osv::test
