#!/usr/bin/env bash
# osv-specialize quick start.
#   ./run.sh demo   specialized kernels for the examples, with a summary per app
#   ./run.sh test   every test (CMake and Meson builds, unit, CLI, consumer projects, real OSv if OSV_ROOT)
# Both install the Debian packages they need first (apt-get, as root or through sudo).
# A real kernel: OSV_KIT=<kit or kit bundle> or OSV_ROOT=<OSv tree built with conf_hide_symbols=1> switches
# the demo to real, bootable kernels. OSV_BUNDLE=<saved OSv kernel archive> or OSV_ROOT enables the
# real-OSv tests (CI points OSV_BUNDLE at the archive in ../shared/osv-kernel).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

ensure_packages() { bash scripts/ensure-packages.sh; }

field() { awk -v key="$1:" '$1 == key { print $2; exit }' "$2"; }

demo() {
    local build=build/examples
    echo "run.sh: configuring and building the examples (helper, kernels, images); full log in $build.log"
    cmake -S examples -B "$build" -G Ninja -DOSV_KIT="${OSV_KIT:-}" -DOSV_ROOT="${OSV_ROOT:-}" \
        > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
    # Progress: the osv-specialize steps, one line each; everything else goes to the log only.
    set -o pipefail
    cmake --build "$build" 2>&1 | tee "$build.log" |
        grep --line-buffered -E '^\[[0-9]+/[0-9]+\] (osv-symbols:|Capturing|Building the bundled)' | sed 's/^/  /' ||
        { tail -30 "$build.log"; exit 1; }
    echo
    local real=
    if [ -n "${OSV_KIT:-}" ]; then
        echo "osv-specialize: kernels relinked from the real OSv kernel of $OSV_KIT"; real=1
    elif [ -n "${OSV_ROOT:-}" ]; then
        echo "osv-specialize: kernels relinked from the OSv tree at $OSV_ROOT"; real=1
    else
        echo "osv-specialize: kernels relinked from the bundled test kernel. It is OSv-shaped but tiny (58 exports), so"
        echo "most of an app's imports are 'unresolved' against it, and it does not boot. For real, bootable kernels:"
        echo "OSV_KIT=<kit or kit bundle of a real OSv kernel> ./run.sh demo   (or OSV_ROOT=<OSv tree>, see README)"
    fi
    printf '\n%-12s %21s %9s %14s %11s %10s  %s\n' app "kernel bytes" change exports unresolved "image" "outputs"
    for dir in "$build"/*/*-osv; do
        local app relink report base size image
        app=$(basename "$dir" -osv)
        relink=$dir/kernel.relink.yaml report=$dir/$app.report.yaml
        base=$(field base_size "$relink") size=$(field size "$relink")
        image=ramfs; [ -f "$dir/$app.img" ] && image=$(stat -c %s "$dir/$app.img")
        printf '%-12s %10s -> %8s %8s%% %6s -> %-5s %10s %10s  %s\n' "$app" "$base" "$size" \
            "$(awk -v a="$base" -v b="$size" 'BEGIN { printf "%+.1f", 100 * (b - a) / a }')" \
            "$(field base_exports "$relink")" "$(field exports "$relink")" "$(field unresolved "$report")" \
            "$image" "$dir/"
    done
    echo
    echo "Each folder holds kernel.elf, <app>.img (or the files built into kernel.elf: ramfs), <app>.version_script,"
    echo "<app>.manifest and <app>.libs.manifest, and the reports (<app>.report.yaml: unresolved imports, dlsym candidates)."
    if [ -n "$real" ]; then
        echo "Boot one: cmake --build $build --target run-hello   (also run-hello-ramfs, run-multi-lib, run-system-app)"
    fi
}

# The suite builds the helper's sources many times (consumer projects, Meson, sanitizers): a compiler
# cache inside build/ serves the repeats. The build folders of the consumer tests sit at the same
# depth, so with paths made relative to the checkout their compile commands are the same.
use_compiler_cache() {
    command -v ccache > /dev/null || return 0
    export CCACHE_DIR="$root/build/ccache" CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
    export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache  # Meson finds ccache itself
}

run_tests() {
    use_compiler_cache
    # Optimized as users build it (-O2: also what gcc's flow warnings need), without debug info:
    # nothing in the suite reads it, and it was a third of the build's compile time.
    cmake -S . -B build/tests -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
        -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" > build/tests.configure.log 2>&1 || { cat build/tests.configure.log; exit 1; }
    cmake --build build/tests
    if [ -z "${OSV_ROOT:-}" ] && [ -z "${OSV_BUNDLE:-}" ]; then
        echo "run.sh: neither OSV_BUNDLE nor OSV_ROOT is set, so the real-OSv tests (label osv) will be reported as"
        echo "        skipped; set OSV_BUNDLE to a saved OSv kernel archive, or OSV_ROOT to an OSv tree built with"
        echo "        'scripts/build image=native-example fs=rofs conf_hide_symbols=1'"
    fi
    # Tests run side by side, one per core: each works in its own folder, and the VM tests pick free ports.
    ctest --test-dir build/tests --output-on-failure --parallel "$(nproc)"
}

case "${1:-}" in
    demo) ensure_packages; mkdir -p build; demo ;;
    test) ensure_packages; mkdir -p build; run_tests ;;
    *) echo "usage: ./run.sh demo | test" >&2; exit 2 ;;
esac
