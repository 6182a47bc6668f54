#!/usr/bin/env bash
# The symbol analysis against its limit and against what OSv does, as CPU time (user+sys) and peak
# memory measured in the same run (the machine may be shared: wall time is reported, never compared).
#   OUT_DIR/growth.yaml   osv-symbols version-script and the limit on the first 1, 10, 100, 1000 and
#                         all ELF programs of the system's library folder
#   OUT_DIR/compare.yaml  on ls, redis-server, a JRE and the whole folder, each with its libraries:
#                         osv-symbols, the limit (bench/limit/needed_limit.cpp, the least work any
#                         libelf program must do), one batched objdump -T, and OSv's per-file pipeline
#                         (scripts/generate_app_version_script.sh: objdump -wT | grep UND | cut -c 62- |
#                         sort | uniq, then comm -12 against the exports)
# Every tool gets the same files as arguments: the regular ELF executables and shared libraries of a
# set (glibc's own libraries left out, as osv-symbols leaves them out: OSv's kernel provides them),
# sorted. `names` is how many names each tool's final list has: the objdump pipelines lose the
# names their cut garbles (versioned ones). The helper and the limit are measured in turn, so a
# machine that slows down meanwhile (a shared one does) slows both and their ratio holds.
# Usage: OSV_SYMBOLS=<Release osv-symbols> bench/analysis.sh [--quick] OUT_DIR
#   --quick: one measurement each instead of the median of five.
#   OSV_SYMBOLS_BEFORE=<another osv-symbols>: measured beside it in compare.yaml ("osv-symbols (before)").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=5
if [ "${1:-}" = --quick ]; then runs=1; shift; fi
[ $# -eq 1 ] || { echo "usage: OSV_SYMBOLS=PATH bench/analysis.sh [--quick] OUT_DIR" >&2; exit 2; }
out=$1
osv_symbols=${OSV_SYMBOLS:-}
[ -n "$osv_symbols" ] && [ -x "$osv_symbols" ] || { echo "bench/analysis.sh: set OSV_SYMBOLS to a Release osv-symbols binary" >&2; exit 2; }
before=${OSV_SYMBOLS_BEFORE:-}
[ -x /usr/bin/time ] || { echo "bench/analysis.sh: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }
folder=/usr/lib/x86_64-linux-gnu
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

limit=$work/needed_limit  # bench code, not a result
c++ -std=c++20 -O2 "$here/limit/needed_limit.cpp" -o "$limit" -lelf

# The export universe: OSV_EXPORTS (a real kernel's all.symbols), else glibc's own exports.
exports=${OSV_EXPORTS:-}
if [ -z "$exports" ]; then
    exports=$work/all.symbols
    "$osv_symbols" exports --exports /lib/x86_64-linux-gnu/libc.so.6 -o "$exports"
fi
LC_ALL=C sort -u "$exports" > "$work/exports.sorted"

# The regular ELF executables and shared libraries among the paths on standard input (one a line),
# sorted, without glibc's own libraries: one path a line.
filter_programs() {
    perl -ne '
        chomp; my $f = $_; next unless -f $f && ! -l $f; open(my $h, "<", $f) or next; my $b = ""; read($h, $b, 18); close $h;
        next unless length($b) == 18 && substr($b, 0, 4) eq "\x7fELF";
        my $type = unpack("v", substr($b, 16, 2)); next unless $type == 2 || $type == 3;
        my ($name) = $f =~ m{([^/]+)$};
        next if $name =~ /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libresolv\.so\.2|libcrypt\.so\.1|libutil\.so|libaio\.so\.1|libxenstore\.so\.3\.0|libc\.musl-x86_64\.so\.1|ld-musl-x86_64\.so\.1)$/ || $name =~ /^ld-linux.*\.so\./;
        print "$f\n";' | LC_ALL=C sort -u
}
# A program and the libraries ldd finds for it.
with_libraries() { { echo "$1"; ldd "$1" | awk '/=> \// { print $3 }'; } | xargs readlink -f | sort -u; }

# The tools: each file defines run(), which prints the tool's final list of names for the files in
# the array `files` (osv-symbols: its version script). Sourced by the timed shell, so the binaries
# run without a shell of their own around them; the pipelines are shell, as in OSv.
cat > "$work/osv-symbols.sh" <<EOF
run() { "\$binary" version-script --exports "$exports" "\${files[@]}" 2>/dev/null; }
EOF
cat > "$work/limit.sh" <<EOF
run() { "$limit" "$exports" "\${files[@]}"; }
EOF
cat > "$work/objdump-batched.sh" <<EOF
run() {
    objdump -wT "\${files[@]}" 2>/dev/null | grep UND | cut -c 62- | tr -d " " | LC_ALL=C sort -u |
        LC_ALL=C comm --nocheck-order - "$work/exports.sorted" -12 || true
}
EOF
cat > "$work/osv-pipeline.sh" <<EOF
run() {
    for file in "\${files[@]}"; do
        objdump -wT "\$file" 2>/dev/null | grep UND | cut -c 62- | LC_ALL=C sort | uniq | tr -d " " |
            LC_ALL=C comm --nocheck-order - "$work/exports.sorted" -12 || true
    done | LC_ALL=C sort -u
}
EOF
# tool list [binary] -> the tool's output, once
run_tool() { bash -c 'mapfile -t files < "$2"; binary=$3; source "$1"; run' _ "$work/$1.sh" "$2" "${3:-}"; }
names_of() {  # tool list [binary]: how many names the tool's final list has
    if [ "$1" = osv-symbols ]; then run_tool "$@" | grep -cE '^    [^*]+;$' || true; else run_tool "$@" | wc -l; fi
}

# sample REPEAT TOOL LIST [BINARY]: runs the tool REPEAT times in one timed shell (so a measurement
# lasts well above the timer's 10 ms); prints "cpu_seconds wall_seconds peak_rss_kb" per run of the tool.
sample() {
    local repeat=$1 tool=$2 list=$3 binary=${4:-}
    /usr/bin/time -f '%U %S %e %M' bash -c '
        mapfile -t files < "$3"; binary=$4; source "$2"
        for ((i = 0; i < $1; i++)); do run > /dev/null 2>&1; done' _ \
        "$repeat" "$work/$tool.sh" "$list" "$binary" 2>&1 >/dev/null | tail -1 |
        awk -v n="$repeat" '{ printf "%.6f %.6f %d\n", ($1 + $2) / n, $3 / n, $4 }'
}
median_of() {  # samples, one an argument -> the median by CPU
    printf '%s\n' "$@" | sort -n | awk -v m=$((($# + 1) / 2)) 'NR == m'
}
# measure REPEAT TOOL LIST [BINARY]: `runs` samples; their median by CPU.
measure() {
    local samples=()
    for ((r = 0; r < runs; r++)); do samples+=("$(sample "$@")"); done
    median_of "${samples[@]}"
}
# measure_with_limit REPEAT LIST BINARY: the helper and the limit sampled in turn, `runs` times each,
# so a machine that slows down meanwhile slows both and their ratio holds; prints three lines, the
# helper's median, the limit's, and the median of the rounds' CPU ratios (helper over limit, each
# round's pair measured back to back: this machine's speed drifts by a third from minute to minute,
# and a ratio of two medians taken from different rounds carries that drift).
measure_with_limit() {
    local repeat=$1 list=$2 binary=$3 helper=() limit=() ratios=() ratio
    for ((r = 0; r < runs; r++)); do
        helper+=("$(sample "$repeat" osv-symbols "$list" "$binary")")
        limit+=("$(sample "$repeat" limit "$list")")
        # A round whose limit reads 0 s (below the timer) has no ratio: left out, not counted as 0.
        ratio=$(awk -v h="${helper[r]%% *}" -v l="${limit[r]%% *}" 'BEGIN { if (l > 0) printf "%.4f", h / l }')
        [ -n "$ratio" ] && ratios+=("$ratio")
    done
    median_of "${helper[@]}"
    median_of "${limit[@]}"
    if [ ${#ratios[@]} -gt 0 ]; then median_of "${ratios[@]}"; else echo 0; fi
}
flow() {  # "cpu wall rss" [files] -> a YAML flow map
    local cpu wall rss
    read -r cpu wall rss <<< "$1"
    printf '{cpu_seconds: %s, wall_seconds: %s, peak_rss_kb: %s' "$cpu" "$wall" "$rss"
    [ -n "${2:-}" ] && awk -v c="$cpu" -v f="$2" 'BEGIN { printf ", us_per_file: %.0f", c * 1e6 / f }'
    printf '}'
}
repeat_for() {  # files: repetitions so that one measurement of the limit takes some 0.1 s at least
    # (the timer counts 10 ms: the whole folder's 0.15 s run alone would be read to 7%, a JRE's 3 ms
    # five times over to 70%)
    if [ "$1" -le 5 ]; then echo 100; elif [ "$1" -le 200 ]; then echo 50; else echo 5; fi
}

find "$folder" -type f | filter_programs > "$work/folder.list"
total=$(wc -l < "$work/folder.list")

# 1. growth
{
    echo "# osv-symbols version-script and the limit on the first N of the sorted regular ELF programs"
    echo "# of the folder (glibc's own libraries left out), passed as file arguments; median of $runs"
    echo "folder: $folder"
    echo "points:"
    for n in 1 10 100 1000 "$total"; do
        [ "$n" -le "$total" ] || continue
        head -n "$n" "$work/folder.list" > "$work/growth.list"
        bytes=$(tr '\n' '\0' < "$work/growth.list" | du -cb --files0-from=- | tail -1 | cut -f1)
        repeat=$(repeat_for "$n")
        echo "  - files: $n"
        echo "    bytes: $bytes"
        mapfile -t pair < <(measure_with_limit "$repeat" "$work/growth.list" "$osv_symbols")
        # All files are the folder set of compare.yaml: one measurement serves both tables.
        [ "$n" = "$total" ] && printf '%s\n' "${pair[@]}" > "$work/folder.measured"
        echo "    helper: $(flow "${pair[0]}" "$n")"
        echo "    limit: $(flow "${pair[1]}" "$n")"
        printf '    cpu_ratio: %.2f  # the median of the helper/limit ratio of each round\n' "${pair[2]}"
        [ "$n" = "$total" ] && break
    done
} > "$work/growth.yaml"
mv "$work/growth.yaml" "$out/growth.yaml"

# 2. against others
jre_java=$(for java in /usr/lib/jvm/*/bin/java; do if [ -x "$java" ]; then readlink -f "$java"; fi; done | head -1 || true)
{
    echo "# CPU time (user+sys) and peak RSS per run, median of $runs; ratios from this one run: osv-symbols'"
    echo "# the median of its rounds' ratios to the limit (measured in turn), the others' their median over the limit's"
    echo "sets:"
    for set in ls redis-server jre folder; do
        case $set in
            ls) with_libraries "$(command -v ls)" > "$work/set.raw" ;;
            redis-server)
                command -v redis-server > /dev/null || continue
                with_libraries "$(command -v redis-server)" > "$work/set.raw" ;;
            jre)
                [ -n "$jre_java" ] || continue
                { echo "$jre_java"; find "$(dirname "$(dirname "$jre_java")")/lib" -type f; } > "$work/set.raw" ;;
            folder) cp "$work/folder.list" "$work/set.raw" ;;
        esac
        filter_programs < "$work/set.raw" > "$work/set.list"
        n=$(wc -l < "$work/set.list")
        repeat=$(repeat_for "$n")
        name=$set
        [ "$set" = jre ] && name="jre ($(dirname "$(dirname "$jre_java")"))"
        [ "$set" = folder ] && name="folder ($folder)"
        echo "  - name: $name"
        echo "    files: $n"
        echo "    tools:"
        if [ "$set" = folder ] && [ -f "$work/folder.measured" ]; then
            mapfile -t pair < "$work/folder.measured"
        else
            mapfile -t pair < <(measure_with_limit "$repeat" "$work/set.list" "$osv_symbols")
        fi
        limit_m=${pair[1]}
        limit_cpu=${limit_m%% *}
        entry() {  # label measurement names [note] [ratio]
            local cpu=${2%% *}
            printf '      - {name: %s, %s, names: %s, cpu_ratio_to_limit: %s%s}\n' "$1" "$(flow "$2" | sed 's/^{//; s/}$//')" "$3" \
                "$(awk -v a="$cpu" -v b="$limit_cpu" -v r="${5:-}" 'BEGIN { printf "%.2f", (r != "" ? r : b > 0 ? a / b : 0) }')" \
                "${4:+, note: \"$4\"}"
        }
        entry "osv-symbols" "${pair[0]}" \
            "$(names_of osv-symbols "$work/set.list" "$osv_symbols")" "" "${pair[2]}"
        if [ -n "$before" ]; then
            entry "osv-symbols (before)" "$(measure "$repeat" osv-symbols "$work/set.list" "$before")" \
                "$(names_of osv-symbols "$work/set.list" "$before")"
        fi
        entry "limit (minimal libelf)" "$limit_m" "$(names_of limit "$work/set.list")"
        entry "objdump -T (one batched call)" "$(measure "$repeat" objdump-batched "$work/set.list")" \
            "$(names_of objdump-batched "$work/set.list")"
        # OSv's pipeline starts seven processes a file: on the whole folder, one measurement.
        if [ "$n" -gt 200 ]; then
            saved=$runs; runs=1
            entry "OSv per-file pipeline" "$(measure 1 osv-pipeline "$work/set.list")" \
                "$(names_of osv-pipeline "$work/set.list")" "one measurement, not the median: it takes tens of seconds"
            runs=$saved
        else
            entry "OSv per-file pipeline" "$(measure "$(( repeat > 5 ? 5 : repeat ))" osv-pipeline "$work/set.list")" \
                "$(names_of osv-pipeline "$work/set.list")"
        fi
    done
} > "$work/compare.yaml"
mv "$work/compare.yaml" "$out/compare.yaml"
echo "bench/analysis.sh: wrote $out/growth.yaml and $out/compare.yaml"
