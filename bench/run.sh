#!/usr/bin/env bash
# The benchmark, one command: every part of issue 12's bench list, its YAML, its pictures and a
# summary, all in OUT_DIR (default build/bench; bench/results is where a committed run lives).
#   bench/analysis.sh   growth.yaml, compare.yaml: symbol analysis as the input grows, and against
#                       OSv's pipeline, one batched objdump -T and a minimal libelf program (the limit)
#   bench/relink.sh     relink.yaml: ld.bfd, ld.lld, ld.lld+ICF, stripped and original inputs
#   bench/rebuild.sh    rebuild.yaml: the CMake examples project built, then rebuilt three ways
#   bench/plot.py       growth.svg, compare.svg, relink.svg, rebuild.svg and summary.md
# Every part is called as PART [--quick] OUT_DIR (rebuild.sh has no --quick: it builds once each way),
# with OSV_SYMBOLS set to the helper to measure.
# Numbers are for comparing within one run (ratios), never asserted: nothing here fails on timing.
# A part that cannot run fails the whole command (a benchmark missing a part is not a result),
# except the real kernel in relink.sh, which is optional and then says it was skipped.
#
# Usage: bench/run.sh [--quick] [OUT_DIR]
#   --quick   fewer repetitions (and a quick analysis); to check that the bench works, not to publish
# Environment: OSV_SYMBOLS=<helper> to measure that build instead of building a Release one here;
# OSV_BUNDLE / OSV_ROOT for the real kernel (as for the tests; without either, its relinks are skipped);
# OSV_EXPORTS=<a kernel's export list, e.g. all.symbols> for the analysis (default: glibc's exports).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

quick=()
[ "${1:-}" = --quick ] && { quick=(--quick); shift; }
[ $# -le 1 ] || { echo "usage: bench/run.sh [--quick] [OUT_DIR]" >&2; exit 2; }
out=${1:-$root/build/bench}

# Fail before anything slow: the analysis part is another script, and must be there.
[ -f "$here/analysis.sh" ] || {
    echo "bench: bench/analysis.sh is missing (it writes growth.yaml and compare.yaml); without it there is no" \
         "full benchmark, so nothing was run" >&2
    exit 1
}

# The project's Debian packages, and what plotting and peak-memory measures need (as ./run.sh does).
bash "$root/scripts/ensure-packages.sh" python3-matplotlib python3-yaml time >&2

# A Release helper: benchmarks of a debug build would measure the build type.
if [ -z "${OSV_SYMBOLS:-}" ]; then
    echo "bench: building osv-symbols (Release) in build/bench-helper" >&2
    mkdir -p "$root/build"
    cmake -S "$root" -B "$root/build/bench-helper" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DOSV_SPECIALIZE_BUILD_TESTS=OFF > "$root/build/bench-helper.configure.log" 2>&1 ||
        { cat "$root/build/bench-helper.configure.log" >&2; exit 1; }
    cmake --build "$root/build/bench-helper" -j2 > "$root/build/bench-helper.build.log" 2>&1 ||
        { cat "$root/build/bench-helper.build.log" >&2; exit 1; }
    export OSV_SYMBOLS=$root/build/bench-helper/helper/osv-symbols
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
started=$(date +%s)
bash "$here/analysis.sh" "${quick[@]}" "$out"
bash "$here/relink.sh" "${quick[@]}" "$out"
bash "$here/rebuild.sh" "$out"
/usr/bin/python3 "$here/plot.py" "$out"
# The work folders hold kernels and OSv's files: never part of a result (bench/results is committed).
rm -rf "$out"/*-work
echo "bench: done in $(( $(date +%s) - started )) s; see $out/summary.md" >&2
