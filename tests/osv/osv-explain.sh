#!/usr/bin/env bash
# Real-OSv test of `osv-symbols explain`: for hello (and redis-server when installed) the report's
# sizes must equal the relinked kernels' — allocated sections by readelf, section for section, and
# their total as `size -A` prints it less the sections not loaded (.comment, debug info): tolerance
# 0 bytes, since the sizes come from ld's own map — the stripped file's size too; the breakdown by
# component must sum to that total; and the reference-graph model must agree with the linker on
# all but 0.1 % of the kept bytes. Nothing is booted.
# Usage: osv-explain.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT, see real-kernel.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$@"

# The allocated bytes of an ELF file: size -A's total less the sections without SHF_ALLOC.
allocated() {
    local total unloaded=0 name size flags
    total=$(size -A "$1" | awk '$1 == "Total" { print $2 }')
    while read -r name size flags; do
        [[ $flags == *A* ]] || unloaded=$((unloaded + 16#$size))
    done < <(readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\]//' |
             awk 'NF >= 7 && $1 ~ /^\./ && $1 != ".symtab" && $1 != ".strtab" && $1 != ".shstrtab" { print $1, $5, ($7 ~ /^[A-Z]+$/ ? $7 : "-") }')
    echo $((total - unloaded))
}

# value KEY [FROM-LINE-PATTERN]: the first number after "KEY: " in report.yaml (after a line matching FROM).
value() {
    awk -v key="$1" -v from="${2:-}" 'from == "" || found || $0 ~ from { found = 1 }
        found && match($0, "(^|[{ ])" key ": [0-9]+") { s = substr($0, RSTART, RLENGTH); sub(/.*: /, "", s); print s; exit }' report.yaml
}

check_app() {  # label version-script
    local label=$1 script=$2
    "$osv_symbols" relink --kit "$kit" --version-script "$script" -o "$label.elf" --unstripped "$label.full.elf" --linker bfd >/dev/null
    "$osv_symbols" explain --kit "$kit" --version-script "$script" -o report.yaml --html "$label.html" \
        --why zfs --why vfs_mount > "$label.txt" 2>/dev/null || { fail "$label: explain failed"; return; }
    cp report.yaml "$label.yaml"
    local want got stripped components model_only linker_only text
    want=$(allocated "$label.full.elf")
    got=$(value total '^specialized:')
    [ "$got" = "$want" ] && echo "PASS $label: allocated bytes $got = size -A less unloaded sections" ||
        fail "$label: the report says $got allocated bytes, the kernel has $want"
    stripped=$(value stripped_file_bytes '^specialized:')
    [ "$stripped" = "$(stat -c %s "$label.elf")" ] || fail "$label: stripped size $stripped, relink made $(stat -c %s "$label.elf")"
    components=$(awk '/^specialized:/ { s = 1 } s && /^  components:/ { c = 1; next } c && /^    [^ ]/ { match($0, /total: [0-9]+/); sum += substr($0, RSTART + 7, RLENGTH - 7); next } c { exit } END { print sum }' report.yaml)
    [ "$components" = "$got" ] && echo "PASS $label: components sum to $components" || fail "$label: components sum to $components, not $got"
    text=$(value text '^specialized:')
    model_only=$(value kept_by_model_only_bytes '^specialized:')
    linker_only=$(value kept_by_linker_only_bytes '^specialized:')
    if [ $(((model_only + linker_only) * 1000)) -le "$text" ]; then
        echo "PASS $label: model vs map differ by $model_only + $linker_only bytes of $text text bytes"
    else
        fail "$label: the model and the map differ by $model_only + $linker_only bytes (text $text)"
    fi
    grep -q '^why zfs: ' "$label.txt" || fail "$label: no chain for zfs"
    grep -q '<svg\|<div' "$label.html" || fail "$label: the HTML has no treemap"
    echo "--- $label"; sed -n '1,/^$/p' "$label.txt"
}

"$osv_symbols" version-script --kit "$kit" --manifest "$manifest" -o hello.version_script 2>/dev/null
check_app hello hello.version_script
if command -v redis-server >/dev/null; then
    printf '[manifest]\n/redis-server: %s\n' "$(command -v redis-server)" > redis.manifest
    "$osv_symbols" closure --manifest redis.manifest -o redis.libs.manifest
    "$osv_symbols" version-script --kit "$kit" --manifest redis.manifest --manifest redis.libs.manifest \
        -o redis.version_script 2>/dev/null
    check_app redis redis.version_script
else
    echo "redis-server is not installed: only hello is checked"
fi
finish osv_explain
