#!/bin/bash
# Usage: project-build-test.sh SOURCE_ROOT WORK_DIR
#
# Builds osv-specialize itself with Meson in WORK_DIR/build (the helper, the test kernel and its
# kit, the doctest suites) and runs its tests. The exit status is `meson test`'s (or non-zero
# when setup or compile fail first). A WORK_DIR/build from an earlier run is reconfigured and
# built incrementally.
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: project-build-test.sh SOURCE_ROOT WORK_DIR" >&2; exit 2; }
root=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" || exit 2
build=$(cd "$2" && pwd)/build

# A unity build (--unity on: four sources a compiler run): the same targets, sources and tests in
# a third less compile time, most of this test's time. Each source alone is compiled by the CMake
# build and the Meson consumer test, so this loses no check of a file's own includes. No debug info
# (-Ddebug=false, as every Meson build of the suite): nothing here reads it, and it is a third of an
# unoptimized compile.
if [ -f "$build/meson-private/coredata.dat" ]; then
    meson setup --reconfigure --unity on -Ddebug=false "$build" "$root" || { echo "FAIL: meson setup --reconfigure"; exit 1; }
else
    meson setup --unity on -Ddebug=false "$build" "$root" || { echo "FAIL: meson setup"; exit 1; }
fi
meson compile -C "$build" || { echo "FAIL: meson compile"; exit 1; }
meson test -C "$build" --print-errorlogs
status=$?
if [ "$status" -eq 0 ]; then echo "PASS: meson test"; else echo "FAIL: meson test (exit status $status)"; fi
exit "$status"
