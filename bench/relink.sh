#!/usr/bin/env bash
# Relink benchmark (issue 12, part 3): how long the kernel's final link takes, and how big the
# kernel gets, for one fixed app, with ld.bfd, ld.lld and ld.lld --icf=all, from the helper's cached
# debug-stripped inputs (what every relink uses) and from the kit's original inputs (--unstripped).
# The app is examples/hello/hello.c, compiled here; its version script is taken against each
# kernel's exports. Kernels: the bundled test kernel (built with -g, so the two input kinds really
# differ) and a real OSv kernel when there is one (the rules of tests/osv/real-kernel.sh: OSV_BUNDLE
# or OSV_ROOT; without either, that part is skipped and relink.yaml says so).
#
# Usage: bench/relink.sh [--quick] OUT_DIR    -> OUT_DIR/relink.yaml
#   runs per linker and input kind: 5 on a real kernel, 15 on the test kernel (--quick: 1 and 3)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

runs=5
[ "${1:-}" = --quick ] && { runs=1; shift; }
[ $# -eq 1 ] || { echo "usage: bench/relink.sh [--quick] OUT_DIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$out/relink-work
rm -rf "$work" && mkdir -p "$work"

cc -fPIE -pie -o "$work/hello" "$bench_root/examples/hello/hello.c"

# Kit facts from its YAML (a kit bundle holds it as kit.yaml): number of link inputs and their bytes.
kit_yaml() { case "$1" in *.tar.xz) tar -xJOf "$1" kit.yaml ;; *) cat "$1" ;; esac; }
kit_inputs() {
    kit_yaml "$1" | /usr/bin/python3 -c 'import sys, yaml
inputs = yaml.safe_load(sys.stdin)["inputs"]
print(len(inputs), sum(int(i["size"]) for i in inputs))'
}
field() { awk -v key="$1:" '$1 == key { print $2; exit }' "$2"; }

# bench_kernel FOLDER NAME KIT RUNS NOTE: appends one kernel's runs to relink.yaml (its files in FOLDER).
bench_kernel() {
    local dir=$work/$1 name=$2 kit=$3 runs=$4 note=$5
    mkdir -p "$dir"
    # A cache of the kernel's own: its first relink makes the stripped inputs (a warm-up run, not
    # timed), no earlier cache of the user's changes what is measured, and its size is this kernel's.
    export OSV_SPECIALIZE_CACHE=$dir/cache
    "$osv_symbols" version-script --kit "$kit" "$work/hello" -o "$dir/hello.version_script" 2> "$dir/version-script.log"
    local count bytes
    read -r count bytes < <(kit_inputs "$kit")
    echo "bench: relink, $name: $count inputs, $runs run(s) per linker and input kind" >&2
    local -a variants=("ld.bfd original bfd" "ld.bfd stripped bfd" "ld.lld original lld" "ld.lld stripped lld"
                       "ld.lld+ICF original lld --icf" "ld.lld+ICF stripped lld --icf")
    local -A link_median wall_median size
    local variant label inputs linker
    for variant in "${variants[@]}"; do
        read -r label inputs linker icf <<< "$variant"
        local args=(relink --kit "$kit" --version-script "$dir/hello.version_script" -o "$dir/kernel.elf"
                    --report "$dir/report.yaml" --linker "$linker" ${icf:+"$icf"})
        [ "$inputs" = original ] && args+=(--unstripped "$dir/kernel-unstripped.elf")
        local links=() walls=() run start
        for ((run = 0; run <= runs; run++)); do  # run 0: warm-up (stripped-input cache, page cache)
            rm -f "$dir/kernel.elf" "$dir/kernel-unstripped.elf" "$dir/report.yaml"
            start=$(now_ns)
            "$osv_symbols" "${args[@]}" > "$dir/relink.log" 2>&1 || { cat "$dir/relink.log" >&2; exit 1; }
            local wall; wall=$(seconds_since "$start")
            [ "$run" -eq 0 ] && continue
            links+=("$(awk '$1 == "link_seconds:" { print $2 }' "$dir/report.yaml")")
            walls+=("$wall")
        done
        link_median[$label/$inputs]=$(median "${links[@]}")
        wall_median[$label/$inputs]=$(median "${walls[@]}")
        size[$label/$inputs]=$(field size "$dir/report.yaml")
    done
    local stripped_bytes
    # The debug-stripped copies of the objects and archives (shared libraries and scripts are linked as they are).
    stripped_bytes=$(find "$OSV_SPECIALIZE_CACHE/stripped" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    {
        echo "  - name: $name"
        echo "    inputs_count: $count"
        echo "    inputs_bytes: $bytes"
        echo "    stripped_copies_bytes: $stripped_bytes"
        echo "    generic_kernel_bytes: $(field base_size "$dir/report.yaml")"
        echo "    exports: $(field exports "$dir/report.yaml")"
        echo "    runs_per_variant: $runs"
        [ -n "$note" ] && echo "    note: \"$note\""
        echo "    runs:"
        local base=${link_median[ld.bfd/original]}
        for variant in "${variants[@]}"; do
            read -r label inputs _ <<< "$variant"
            printf '      - {linker: %s, inputs: %s, seconds: %s, wall_seconds: %s, kernel_bytes: %s, ratio_to_bfd_original: %s}\n' \
                "$label" "$inputs" "${link_median[$label/$inputs]}" "${wall_median[$label/$inputs]}" \
                "${size[$label/$inputs]}" "$(ratio "${link_median[$label/$inputs]}" "$base")"
        done
    } >> "$work/kernels.yaml"
}

: > "$work/kernels.yaml"
bash "$bench_root/tests/kernel/build.sh" "$bench_root/tests/kernel" "$work/test-kernel" > "$work/test-kernel.log" 2>&1 ||
    { cat "$work/test-kernel.log" >&2; exit 1; }
"$osv_symbols" kit capture --osv-root "$work/test-kernel" -o "$work/test-kit.yaml" > /dev/null
# Its links take milliseconds (1 ms is the report's resolution): three times the runs, for a steadier median.
bench_kernel test-kernel-relinks "test kernel" "$work/test-kit.yaml" $((runs * 3)) \
    "a tiny kernel: each link takes milliseconds, so fixed costs (process start, ld.lld's threads) dominate; the real kernel shows the linkers' ratios"

# The real kernel: real-kernel.sh decides what it is.
skipped=
if [ -z "${OSV_BUNDLE:-}" ] && [ -z "${OSV_ROOT:-}" ]; then
    skipped="no real kernel: set OSV_BUNDLE (a kit bundle or saved OSv kernel archive) or OSV_ROOT (a built OSv tree)"
    echo "bench: relink of a real kernel skipped: $skipped" >&2
else
    source "$bench_root/tests/osv/real-kernel.sh"
    real_kernel_setup "$osv_symbols" "$work/real-kernel" >&2  # exits, saying why, when it cannot
    note=
    if [ -n "${OSV_BUNDLE:-}" ]; then
        source_name="OSv ($(basename "$OSV_BUNDLE"))"
        note="the archive's objects were debug-stripped when it was made, so its original inputs have no debug info either and both kinds link nearly the same bytes (a built OSv tree, OSV_ROOT, shows the real difference)"
    else
        source_name="OSv ($OSV_ROOT)"
    fi
    bench_kernel real-kernel-relinks "$source_name" "$kit" "$runs" "$note"
fi

{
    echo "# bench/relink.sh: relinking a kernel for examples/hello (its version script against each kernel's exports)."
    echo "timing: \"seconds = the link alone, the median of runs_per_variant runs of timing.link_seconds in the helper's --report (1 ms resolution); wall_seconds = the whole osv-symbols relink command (link, strip, export check)\""
    echo "app: examples/hello/hello.c"
    echo "machine: \"$bench_machine\""
    echo "linkers: \"$(ld.bfd --version | head -1); $(ld.lld --version | head -1)\""
    [ -n "$skipped" ] && echo "real_kernel_skipped: \"$skipped\""
    echo "kernels:"
    cat "$work/kernels.yaml"
} > "$out/relink.yaml"
echo "bench: wrote $out/relink.yaml" >&2
