#!/usr/bin/env bash
# The README's CMake example, taken from README.md as it stands, built on a real kernel: the block
# becomes a project's CMakeLists.txt, beside a checkout of osv-specialize, a kit bundle named
# osv-kit.tar.xz and a hello.c; then its osv_add_test() test must pass. So the README cannot drift.
# Usage: osv-readme.sh OSV_SYMBOLS SOURCE_ROOT WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$2" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$1" "$3"

mkdir project
# The first ```cmake block of the README's "## CMake" section, verbatim.
awk '/^## CMake/ { section = 1 } section && /^```cmake$/ { inside = 1; next } inside && /^```$/ { exit } inside' \
    "$source_root/README.md" > block.cmake
grep -q 'add_osv_app' block.cmake || { fail "no CMake block found in README.md"; finish osv-readme; }
{ echo 'cmake_minimum_required(VERSION 3.20)'; echo 'project(readme_example C)'; echo 'enable_testing()'
  cat block.cmake; } > project/CMakeLists.txt
ln -s "$source_root" project/osv-specialize
"$osv_symbols" kit bundle --kit "$kit" -o project/osv-kit.tar.xz > /dev/null
printf '#include <stdio.h>\nint main(void) { puts("Hello from C code"); return 0; }\n' > project/hello.c

# The helper the test build made (how the helper is built is the consumer tests' subject).
cmake -S project -B build -G Ninja -DOSV_SYMBOLS_EXECUTABLE="$osv_symbols" > configure.log 2>&1 || { cat configure.log; fail "the README's block does not configure"; finish osv-readme; }
cmake --build build > build.log 2>&1 || { tail -30 build.log; fail "the README's block does not build"; finish osv-readme; }
if (cd build && ctest --output-on-failure); then echo "PASS: the README's CMake block builds and its test boots hello"
else fail "the README's osv_add_test"; fi
finish osv-readme
