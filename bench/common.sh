# shellcheck shell=bash disable=SC2034  # sourced: its variables are used by the scripts that source it
# Sourced by the bench scripts: what they share, so each script holds only its own measurement.
#   bench_root       the project
#   osv_symbols      the helper measured: OSV_SYMBOLS, else the Release build of bench/run.sh
#   now_ns           a monotonic-enough clock (date +%s%N) for wall times
#   seconds_since    START_NS -> seconds elapsed, 3 decimals
#   median           the median of its arguments (numbers)
#   bench_machine    "N cores, CPU model, load average" when the part started, for its YAML and the
#                    pictures' footnotes (the load says whether other work shared the cores)
#   ratio            A B -> A / B, 2 decimals ("null" when B is zero: a YAML null, not a crash)
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
osv_symbols=${OSV_SYMBOLS:-$bench_root/build/bench-helper/helper/osv-symbols}
# Absolute: the scripts cd around.
osv_symbols=$(cd "$(dirname "$osv_symbols")" 2>/dev/null && pwd)/$(basename "$osv_symbols")
[ -x "$osv_symbols" ] || {
    echo "bench: no osv-symbols at $osv_symbols; run bench/run.sh (it builds one) or set OSV_SYMBOLS" >&2
    exit 2
}

now_ns() { date +%s%N; }
seconds_since() { awk -v s="$1" -v e="$(now_ns)" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "null"; else printf "%.2f", a / b }'; }
bench_machine="$(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average $(cut -d' ' -f1 /proc/loadavg) at the start"
