#!/usr/bin/env bash
# Builds tests/cmake/consumer with osv-specialize obtained by MODE (add_subdirectory,
# fetch_content or find_package after cmake --install) and checks every output with nm/readelf.
# Usage: consumer-test.sh MODE SOURCE_ROOT WORK_DIR [BUILD_DIR]
# find_package installs BUILD_DIR, the project's own configured build (the test build), as a user
# installs theirs: cmake --install; add_subdirectory and fetch_content build the helper themselves.
set -euo pipefail
mode=$1 source=$(cd "$2" && pwd) work=$3 project_build=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
rm -rf "$work" && mkdir -p "$work"

configure_args=(-G Ninja -DOSV_SPECIALIZE_MODE="$mode" -DOSV_SPECIALIZE_SOURCE="$source")
if [ "$mode" == find_package ]; then
    [ -n "$project_build" ] || { echo "consumer-test.sh find_package: BUILD_DIR missing" >&2; exit 2; }
    cmake --install "$project_build" --prefix "$work/prefix" > "$work/install.log"
    [ -x "$work/prefix/bin/osv-symbols" ] && pass "installed bin/osv-symbols" || fail "installed bin/osv-symbols"
    configure_args+=(-DCMAKE_PREFIX_PATH="$work/prefix")
fi
cmake -S "$here/consumer" -B "$work/build" "${configure_args[@]}" > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; finish "consumer-$mode"; }
pass "configure and build ($mode)"

b=$work/build
out=$b/app-osv
for file in app.manifest app.version_script app.report.yaml kernel.elf kernel.relink.yaml; do
    [ -f "$out/$file" ] && pass "$file written" || fail "$file missing"
done
expect_equal "$(cat "$b/properties.txt")" "kernel=$out/kernel.elf
script=$out/app.version_script
report=$out/app.report.yaml
manifest=$out/app.manifest
greet_kernel=$b/greet-kernel-out/kernel.elf" "target properties name the files"

expect_equal "$(grep -c '^/' "$out/app.manifest")" "3" "manifest has program, library and extra file"
grep -qx "/app: $b/app" "$out/app.manifest" && pass "program at /app" || fail "program at /app"
grep -qx "/usr/lib/libgreet.so: $b/libgreet.so" "$out/app.manifest" && pass "library under /usr/lib" || fail "library under /usr/lib"
grep -qx "/etc/app.conf: $here/consumer/app.conf" "$out/app.manifest" && pass "extra FILES entry" || fail "extra FILES entry"
grep -qx "# cmdline: /app --verbose" "$out/app.manifest" && pass "command line recorded" || fail "command line recorded"

# The script is the union of app and library imports, intersected with the kernel's exports.
kernel_exports=$(exported_names "$b/osv-kernels/testkernel/tree/build/release.x64/loader.elf")
needed=$( (nm -D --undefined-only --without-symbol-versions "$b/app"; nm -D --undefined-only --without-symbol-versions "$b/libgreet.so") | awk '{print $2}' | LC_ALL=C sort -u)
expected=$(LC_ALL=C comm -12 <(echo "$needed") <(echo "$kernel_exports"))
expect_equal "$(script_names "$out/app.version_script")" "$expected" "version script = nm imports ∩ kernel exports"
expect_equal "$(exported_names "$out/kernel.elf")" "$expected" "kernel.elf exports exactly the script (nm -D)"
readelf -h "$out/kernel.elf" | grep -q 'EXEC (Executable file)' && pass "kernel.elf is an executable (readelf)" || fail "readelf -h"
for name in puts printf strlen; do grep -qx "    $name;" "$out/app.version_script" && pass "script has $name" || fail "script lacks $name"; done
base=$(stat -c %s "$b/osv-kernels/testkernel/tree/build/release.x64/loader-stripped.elf")
[ "$(stat -c %s "$out/kernel.elf")" -lt "$base" ] && pass "kernel.elf is smaller than the generic kernel" || fail "kernel.elf not smaller"
grep -q "linker: ld.lld" "$b/greet-kernel-out/kernel.relink.yaml" && grep -q "icf: true" "$b/greet-kernel-out/kernel.relink.yaml" \
    && pass "greet-kernel relinked with lld --icf=all" || fail "greet-kernel linker"
expect_equal "$(exported_names "$b/greet-kernel-out/kernel.elf")" "$(script_names "$b/greet-kernel-out/greet-kernel.version_script")" \
    "greet-kernel exports its script"

# A second build does nothing.
if ninja -C "$b" -n | grep -q "no work to do"; then pass "second build: no work"; else fail "second build has work"; ninja -C "$b" -n -d explain | head; fi
finish "consumer-$mode"
