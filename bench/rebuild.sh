#!/usr/bin/env bash
# Rebuild benchmark (issue 12, part 4): the CMake examples project (test kernel, Ninja) built from
# scratch, then rebuilt three times, each time counting the kernel relinks that ran:
#   noop                nothing changed: no relink, and ninja -n must report no work;
#   touch_same_imports  hello.c edited (another message, so hello's bytes change) with the same
#                       imports: hello's version script is regenerated unchanged, so no relink;
#   new_import          hello.c now calls strlen, which the test kernel exports: one relink (hello's).
# Relinks are counted twice: the relink steps Ninja ran (their "relinking the OSv kernel" lines)
# and the kernel.elf files rewritten (newer than a stamp made before the build); a rebuild whose
# count differs from the expected one fails this script, after writing the YAML.
# The project is copied into OUT_DIR (examples/ itself is never modified); the first build
# compiles the helper too, as a consumer's first build does.
#
# Usage: bench/rebuild.sh OUT_DIR    -> OUT_DIR/rebuild.yaml
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || { echo "usage: bench/rebuild.sh OUT_DIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$out/rebuild-work
rm -rf "$work" && mkdir -p "$work"
project=$work/examples build=$work/build
cp -r "$bench_root/examples" "$project"
# The copy still builds this checkout's osv-specialize, which the original finds at '..'.
sed -i "s|^add_subdirectory(\.\. osv-specialize)$|add_subdirectory(\"$bench_root\" osv-specialize)|" "$project/CMakeLists.txt"
grep -qF "add_subdirectory(\"$bench_root\" osv-specialize)" "$project/CMakeLists.txt" ||
    { echo "bench: examples/CMakeLists.txt no longer has 'add_subdirectory(.. osv-specialize)'; update bench/rebuild.sh" >&2; exit 1; }

jobs=-j2  # the machines this runs on have two cores
failures=()

# build LABEL: one timed build; sets seconds and relinks (steps run), checks kernel.elf rewrites.
build() {
    local label=$1 start
    touch "$work/stamp-$label"
    sleep 0.01  # a kernel written in the same clock tick as the stamp would not count as newer
    start=$(now_ns)
    cmake --build "$build" $jobs > "$work/build-$label.log" 2>&1 || { cat "$work/build-$label.log" >&2; exit 1; }
    seconds=$(seconds_since "$start")
    relinks=$(grep -c 'relinking the OSv kernel for' "$work/build-$label.log" || true)
    rewritten=$(find "$build" -name kernel.elf -newer "$work/stamp-$label" | wc -l)
    echo "bench: rebuild, $label: $seconds s, $relinks relink(s), $rewritten kernel.elf rewritten" >&2
}

# expect LABEL N: the relinks of the last build must be N (else the YAML says so and we fail).
expect() {
    [ "$relinks" -eq "$2" ] && [ "$rewritten" -eq "$2" ] ||
        failures+=("$1: expected $2 relink(s), got $relinks step(s) run and $rewritten kernel.elf rewritten")
}

start=$(now_ns)
cmake -S "$project" -B "$build" -G Ninja > "$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
configure_seconds=$(seconds_since "$start")
build first
first_seconds=$seconds first_relinks=$relinks
kernels=$(find "$build" -name kernel.elf | wc -l)

build noop
expect noop 0
noop=(seconds "$seconds" relinks "$relinks" rewritten "$rewritten")
ninja_left=$(ninja -C "$build" -n | grep -c '^\[' || true)
[ "$ninja_left" -eq 0 ] || failures+=("noop: ninja -n still lists $ninja_left step(s)")

script=$(find "$build" -name hello.version_script | head -1)
cp "$script" "$work/hello.version_script.before"
sed -i 's/Hello from C code/Hello from C code, rebuilt/' "$project/hello/hello.c"
grep -q 'rebuilt' "$project/hello/hello.c" || { echo "bench: examples/hello/hello.c no longer prints 'Hello from C code'; update bench/rebuild.sh" >&2; exit 1; }
build touch_same_imports
expect touch_same_imports 0
touch=(seconds "$seconds" relinks "$relinks" rewritten "$rewritten")
cmp -s "$script" "$work/hello.version_script.before" || failures+=("touch_same_imports: hello's version script changed")

cat > "$project/hello/hello.c" <<'EOF'
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
    (void)argc;
    puts("Hello from C code");
    return strlen(argv[0]) > 4096;  /* a new import: strlen */
}
EOF
build new_import
expect new_import 1
new=(seconds "$seconds" relinks "$relinks" rewritten "$rewritten")
grep -q '^ *strlen;$' "$script" || failures+=("new_import: strlen is not in hello's version script")

cat > "$out/rebuild.yaml" <<EOF
# bench/rebuild.sh: the CMake examples project (hello, multi-lib, system-app) on the test kernel.
project: examples
generator: Ninja $(ninja --version)
build_jobs: 2
kernels: $kernels
machine: "$bench_machine"
relinks_counted_by: "relink steps Ninja ran; kernel.elf files rewritten must agree"
configure_seconds: $configure_seconds
first_build_seconds: $first_seconds
first_build_relinks: $first_relinks
first_build_includes: "compiling osv-symbols (the project adds it with add_subdirectory), kit capture, every app and kernel"
noop: {seconds: ${noop[1]}, relinks: ${noop[3]}, kernels_rewritten: ${noop[5]}, expected_relinks: 0}
touch_same_imports: {seconds: ${touch[1]}, relinks: ${touch[3]}, kernels_rewritten: ${touch[5]}, expected_relinks: 0, change: "hello.c prints another message (hello's bytes change, its imports do not)"}
new_import: {seconds: ${new[1]}, relinks: ${new[3]}, kernels_rewritten: ${new[5]}, expected_relinks: 1, change: "hello.c calls strlen too"}
EOF
if [ ${#failures[@]} -gt 0 ]; then
    { echo "failures:"; printf '  - "%s"\n' "${failures[@]}"; } >> "$out/rebuild.yaml"
    printf 'bench: rebuild FAILED: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "bench: wrote $out/rebuild.yaml" >&2
