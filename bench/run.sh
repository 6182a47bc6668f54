#!/usr/bin/env bash
# Benchmarks, as ratios against a baseline measured in the same run (never absolute timings):
#   1. needed-symbol extraction: osv-symbols version-script against the pipeline of OSv's
#      scripts/generate_app_version_script.sh (objdump -wT | grep UND | cut | sort | uniq | comm),
#      on an installed program and its shared libraries; also what each finds, and peak memory.
#   2. kernel relink: ld.lld (and --icf=all) against ld.bfd, on the test kernel, and on a real
#      OSv kernel when OSV_ROOT names a built tree.
# Usage: bench/run.sh [PROGRAM]    (default: redis-server if installed, else cmake)
# Needs a built osv-symbols: OSV_SYMBOLS=path, default build/tests/helper/osv-symbols.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
osv_symbols=${OSV_SYMBOLS:-$root/build/tests/helper/osv-symbols}
[ -x "$osv_symbols" ] || { echo "bench: build the project first (./run.sh test) or set OSV_SYMBOLS" >&2; exit 2; }
program=${1:-$(command -v redis-server || command -v cmake)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
# Runs "$@" N times; prints the mean wall time in microseconds.
mean_us() {
    local n=$1; shift
    local start end
    start=$(now)
    for ((i = 0; i < n; i++)); do "$@" > /dev/null 2>&1; done
    end=$(now)
    echo $(( (end - start) / n / 1000 ))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

mapfile -t libraries < <(ldd "$program" | awk '/=> \// { print $3 }' |
                         grep -vE '/(libc|libm|libpthread|libdl|librt|libutil|ld-linux-x86-64)\.so')
files=("$program" "${libraries[@]}")
exports=$root/../shared/osv-data/all.symbols
if [ ! -f "$exports" ]; then
    exports=$work/all.symbols
    "$osv_symbols" exports --exports /lib/x86_64-linux-gnu/libc.so.6 -o "$exports"
fi
LC_ALL=C sort -u "$exports" > "$work/all.sorted"

# OSv's pipeline, per file, as scripts/generate_app_version_script.sh runs it (its comm warns
# about unsorted input, which is the versioned-names bug, and goes on).
baseline() {
    for file in "${files[@]}"; do
        objdump -wT "$file" | grep UND | cut -c 62- | LC_ALL=C sort | uniq | tr -d " " | LC_ALL=C comm --nocheck-order - "$work/all.sorted" -12 || true
    done | LC_ALL=C sort -u
}
ours() { "$osv_symbols" version-script --exports "$exports" "${files[@]}"; }

echo "== 1. needed symbols of $program and ${#libraries[@]} libraries, against $(wc -l < "$work/all.sorted") exports"
baseline > "$work/baseline.names"
ours 2>/dev/null | grep -E '^    [^*]+;$' | tr -d ' ;' > "$work/ours.names"
echo "names found: objdump pipeline $(wc -l < "$work/baseline.names"), osv-symbols $(wc -l < "$work/ours.names")"
missed=$(LC_ALL=C comm -13 "$work/baseline.names" "$work/ours.names" | head -8 | tr '\n' ' ')
[ -n "$missed" ] && echo "the pipeline misses (first 8): $missed"
runs=5
t_base=$(mean_us $runs baseline)
t_ours=$(mean_us $runs ours)
echo "time: osv-symbols is $(ratio "$t_base" "$t_ours")x faster than the objdump pipeline (mean of $runs runs each)"
if [ -x /usr/bin/time ]; then
    echo "peak memory: osv-symbols $(peak_kb "$osv_symbols" version-script --exports "$exports" "${files[@]}") KB," \
         "one objdump of the largest file $(peak_kb objdump -wT "$(ls -S "${files[@]}" | head -1)") KB"
fi

relink_bench() {  # kit label
    local kit=$1 label=$2
    printf '{\n  global:\n    __libc_start_main;\n    puts;\n  local:\n    *;\n};\n' > "$work/hello.vs"
    local t_bfd t_lld t_icf
    t_bfd=$(mean_us 3 "$osv_symbols" relink --kit "$kit" --version-script "$work/hello.vs" -o "$work/bfd.elf" --linker bfd)
    t_lld=$(mean_us 3 "$osv_symbols" relink --kit "$kit" --version-script "$work/hello.vs" -o "$work/lld.elf" --linker lld)
    t_icf=$(mean_us 3 "$osv_symbols" relink --kit "$kit" --version-script "$work/hello.vs" -o "$work/icf.elf" --linker lld --icf)
    echo "$label: relink with ld.lld is $(ratio "$t_bfd" "$t_lld")x as fast as ld.bfd, with --icf=all $(ratio "$t_bfd" "$t_icf")x;" \
         "sizes bfd $(stat -c %s "$work/bfd.elf"), lld $(stat -c %s "$work/lld.elf"), lld+icf $(stat -c %s "$work/icf.elf") bytes"
}
echo "== 2. relinking for hello (exports __libc_start_main, puts)"
bash "$root/tests/kernel/build.sh" "$root/tests/kernel" "$work/test-kernel" > /dev/null
"$osv_symbols" kit capture --osv-root "$work/test-kernel" -o "$work/test-kit.yaml" > /dev/null
relink_bench "$work/test-kit.yaml" "test kernel"
if [ -n "${OSV_ROOT:-}" ]; then
    "$osv_symbols" kit capture --osv-root "$OSV_ROOT" --make-arg fs=rofs -o "$work/osv-kit.yaml" > /dev/null
    relink_bench "$work/osv-kit.yaml" "OSv kernel"
else
    echo "(set OSV_ROOT to a built OSv tree to measure the real kernel too)"
fi
