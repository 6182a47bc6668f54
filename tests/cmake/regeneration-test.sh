#!/usr/bin/env bash
# Regeneration: an app rebuild that changes its imports regenerates the version script and
# relinks the kernel; one that keeps its imports relinks nothing.
# Usage: regeneration-test.sh GENERATOR SOURCE_ROOT WORK_DIR OSV_SYMBOLS   (GENERATOR: Ninja | "Unix Makefiles")
# OSV_SYMBOLS is the helper the test build made (OSV_SYMBOLS_EXECUTABLE): how the helper is built is
# the consumer tests' subject, not this one's.
set -euo pipefail
generator=$1 source=$(cd "$2" && pwd) work=$3 osv_symbols=$4
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
rm -rf "$work" && mkdir -p "$work"
cp -r "$here/consumer" "$work/src"
b=$work/build
out=$b/app-osv
build() { cmake --build "$b" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }; }

cmake -S "$work/src" -B "$b" -G "$generator" -DOSV_SPECIALIZE_SOURCE="$source" \
      -DOSV_SYMBOLS_EXECUTABLE="$osv_symbols" > "$work/configure.log"
build
grep -qx "    qsort;" "$out/app.version_script" && fail "qsort already there" || pass "first build: no qsort"

# 1. The app now calls qsort: its imports change.
sleep 1
sed -i 's|    puts("consumer app");|    puts("consumer app");\n    int v[2] = {2, 1};\n    qsort(v, 2, sizeof v[0], (int (*)(const void*, const void*))greet);|; s|#include <stdio.h>|#include <stdio.h>\n#include <stdlib.h>|' "$work/src/app.c"
build
grep -qx "    qsort;" "$out/app.version_script" && pass "qsort is in the version script" || fail "qsort missing from the script"
nm -D --defined-only "$out/kernel.elf" | grep -q " T qsort$" && pass "kernel.elf exports qsort (relinked)" || fail "kernel.elf lacks qsort"
grep -q "relinking the OSv kernel for app" "$work/build.log" && pass "relink ran" || fail "relink did not run"

# 2. Only a string changes: same imports, so the script stays and nothing is relinked.
kernel_stamp=$(stat -c %Y.%y "$out/kernel.elf")
script_stamp=$(stat -c %Y.%y "$out/app.version_script")
sleep 1
sed -i 's|consumer app|consumer app, second edition|' "$work/src/app.c"
build
grep -q "Linking C executable app" "$work/build.log" && pass "the app was rebuilt" || fail "the app was not rebuilt"
expect_equal "$(stat -c %Y.%y "$out/app.version_script")" "$script_stamp" "version script not rewritten"
expect_equal "$(stat -c %Y.%y "$out/kernel.elf")" "$kernel_stamp" "kernel.elf not relinked"
grep -q "relinking the OSv kernel for app" "$work/build.log" && fail "relink ran although imports did not change" || pass "no relink in the build log"
if [ "$generator" == Ninja ]; then
    ninja -C "$b" -n | grep -q "no work to do" && pass "ninja -n: no work to do" || { fail "ninja -n reports work"; ninja -C "$b" -n -d explain | head -20; }
else
    # make has no restat: the cheap version-script step reruns while its output is older than the
    # app, but the relink never does (the script it depends on is unchanged and older than kernel.elf).
    build
    grep -q "relinking the OSv kernel for app" "$work/build.log" && fail "make relinked on a no-op build" || pass "make: no relink on a no-op build"
fi
finish "regeneration-$generator"
