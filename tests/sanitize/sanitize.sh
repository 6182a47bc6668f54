#!/usr/bin/env bash
# The helper under AddressSanitizer and UndefinedBehaviorSanitizer (leak detection on): the
# project built with clang and -DOSV_SPECIALIZE_FUZZ=ON (every file instrumented), then its unit
# and CLI suites, and every libFuzzer harness for a fixed number of runs from a fixed seed (so a
# CI run explores what a local run did): every harness tests/fuzz/CMakeLists.txt registers (label fuzz: elf,
# manifest, version_script, kit, config, shell, tar, image). Any sanitizer report or fuzzer finding fails the test.
# Usage: sanitize.sh SOURCE_ROOT WORK_DIR [RUNS [CLI_DRIVER]]
#   CLI_DRIVER: a cli_tests another build of this checkout compiled. The CLI suite runs the tool as a
#   process of its own, so only the tool needs instrumenting: with a driver given, the sanitizer
#   build skips compiling its own (the largest part of its compile time) and runs this one against
#   the instrumented osv-symbols.
set -euo pipefail
source_root=$(cd "$1" && pwd) work=$2 runs=${3:-20000} cli_driver=${4:-}
if ! command -v clang++ > /dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a > /dev/null 2>&1; then
    # CI installs them (scripts/debian-packages.txt): there a missing clang is a failure.
    [ -z "${CI:-}" ] || { echo "FAIL: clang and libclang-rt-14-dev are missing"; exit 1; }
    echo "SKIPPED: the sanitizer and fuzzing suite needs clang and libclang-rt-14-dev (Debian packages)"
    exit 77
fi
mkdir -p "$work"
# A unity build (eight sources a compiler run): the same code instrumented in a third less compile
# time, most of this test's time; the main build compiles each source alone. At -O1 -g, what the
# sanitizers' manuals advise (readable reports, fast enough), not the project's default -O2 -g:
# optimizing instrumented code is the costliest compile of the suite.
cmake -S "$source_root" -B "$work/build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
      -DCMAKE_UNITY_BUILD=ON -DOSV_SPECIALIZE_FUZZ=ON ${cli_driver:+"-DOSV_SPECIALIZE_CLI_DRIVER=$cli_driver"} > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
rm -rf "$work/build/tests/fuzz/work"   # a fresh corpus: the same runs as everywhere else
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 OSV_FUZZ_RUNS=$runs
ctest --test-dir "$work/build" -L 'unit|cli|fuzz' --output-on-failure
