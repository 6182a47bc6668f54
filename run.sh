#!/usr/bin/env bash
# osv-specialize quick start.
#   ./run.sh demo   specialized kernels for the examples, with a summary per app
#   ./run.sh test   every test (CMake and Meson builds, unit, CLI, consumer projects, real OSv if OSV_ROOT)
# Both install the Debian packages they need first (apt-get, as root or through sudo).
# OSV_ROOT=<OSv tree built with conf_hide_symbols=1 image=native-example fs=rofs> switches the
# demo to real kernels and enables the real-OSv boot test.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

ensure_packages() {
    local missing=()
    while read -r package; do
        case "$package" in ''|'#'*) continue ;; esac
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done < scripts/debian-packages.txt
    [ ${#missing[@]} -eq 0 ] && return
    echo "run.sh: installing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

field() { awk -v key="$1:" '$1 == key { print $2; exit }' "$2"; }

demo() {
    local build=build/examples
    cmake -S examples -B "$build" -G Ninja -DOSV_ROOT="${OSV_ROOT:-}" > "$build.configure.log" 2>&1 \
        || { cat "$build.configure.log"; exit 1; }
    cmake --build "$build" > "$build.log" 2>&1 || { cat "$build.log"; exit 1; }
    echo
    if [ -n "${OSV_ROOT:-}" ]; then
        echo "osv-specialize: kernels relinked from the OSv tree at $OSV_ROOT"
    else
        echo "osv-specialize: kernels relinked from the bundled test kernel, which shows the workflow but does not"
        echo "boot (OSV_ROOT=<OSv tree built with conf_hide_symbols=1> ./run.sh demo for real, bootable kernels)"
    fi
    printf '\n%-11s %21s %9s %14s %11s  %s\n' app "kernel bytes" change exports unresolved "kernel and version script"
    for dir in "$build"/*/*-osv; do
        local app relink report base size
        app=$(basename "$dir" -osv)
        relink=$dir/kernel.relink.yaml report=$dir/$app.report.yaml
        base=$(field base_size "$relink") size=$(field size "$relink")
        printf '%-11s %10s -> %8s %8s%% %6s -> %-5s %10s  %s\n' "$app" "$base" "$size" \
            "$(awk -v a="$base" -v b="$size" 'BEGIN { printf "%+.1f", 100 * (b - a) / a }')" \
            "$(field base_exports "$relink")" "$(field exports "$relink")" "$(field unresolved "$report")" \
            "$root/$dir/{kernel.elf,$app.version_script}"
    done
    echo
    echo "Reports: $build/*/*-osv/*.report.yaml (inputs, unresolved imports, dlsym candidates). Build log: $build.log"
}

run_tests() {
    cmake -S . -B build/tests -G Ninja > build/tests.configure.log 2>&1 || { cat build/tests.configure.log; exit 1; }
    cmake --build build/tests
    if [ -z "${OSV_ROOT:-}" ] && [ -z "${OSV_BUNDLE:-}" ]; then
        echo "run.sh: neither OSV_BUNDLE nor OSV_ROOT is set, so the real-OSv tests (label osv) will be reported as"
        echo "        skipped; set OSV_BUNDLE to a saved OSv kernel archive, or OSV_ROOT to an OSv tree built with"
        echo "        'scripts/build image=native-example fs=rofs conf_hide_symbols=1'"
    fi
    ctest --test-dir build/tests --output-on-failure
}

case "${1:-}" in
    demo) ensure_packages; mkdir -p build; demo ;;
    test) ensure_packages; mkdir -p build; run_tests ;;
    *) echo "usage: ./run.sh demo | test" >&2; exit 2 ;;
esac
