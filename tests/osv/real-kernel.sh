# Sourced by the real-OSv tests: finds the real kernel they run on, captures its kit, and boots
# kernels through scripts/osv-run.sh (the same way run targets do).
#
# real_kernel_setup OSV_SYMBOLS WORK_DIR sets, and cds into a fresh WORK_DIR:
#   osv_symbols     the helper (absolute)
#   kit             a kit of the real kernel
#   generic_kernel  the generic, stripped kernel
#   manifest image  the native-example app's usr.manifest and its disk (booting /hello)
#   base_manifest   OSv's base files of every app image (libenviron.so, libgcc_s.so.1, /etc, ...),
#                   which the kit names too (kit capture --base-manifest)
#   hello           the native-example hello program (a dynamic PIE printing "Hello from C code")
#   link_dir        the folder the kernel link runs in (for tests that need its files, e.g. bootfs.S)
# from OSV_BUNDLE — a kit bundle (osv-symbols kit bundle; the app is then a hello compiled here) or
# a saved OSv kernel archive (link/command.txt, kernel/, image/: the layout of the archive CI uses,
# see .ci/run) — or OSV_ROOT (an OSv tree built with scripts/build image=native-example fs=rofs
# conf_hide_symbols=1). With neither it prints why and exits 77, which ctest reports as skipped.

osv_run=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/osv-run.sh
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

finish() {  # test-name
    [ "$failures" -eq 0 ] && echo "$1: all checks passed" || { echo "$1: $failures failure(s)"; exit 1; }
}

real_kernel_setup() {
    osv_symbols=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the test cds into WORK_DIR
    local work=$2
    if [ -z "${OSV_BUNDLE:-}" ] && [ -z "${OSV_ROOT:-}" ]; then
        echo "SKIPPED: neither OSV_BUNDLE (a saved OSv kernel archive, e.g. osv-x64-0e34e4dc.tar.xz) nor OSV_ROOT" \
             "(an OSv tree built with 'scripts/build image=native-example fs=rofs conf_hide_symbols=1') is set"
        exit 77
    fi
    command -v qemu-system-x86_64 >/dev/null || { echo "FAIL: qemu-system-x86_64 is missing (Debian package qemu-system-x86)"; exit 1; }
    rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
    if [ -n "${OSV_BUNDLE:-}" ]; then
        [ -f "$OSV_BUNDLE" ] || { echo "FAIL: OSV_BUNDLE '$OSV_BUNDLE' does not exist"; exit 1; }
        local bundle top
        bundle=$(cd "$(dirname "$OSV_BUNDLE")" && pwd)/$(basename "$OSV_BUNDLE")
        mkdir unpacked
        tar -tJf "$bundle" > members.txt
        if grep -qx 'kit.yaml' members.txt; then
            # A kit bundle (osv-symbols kit bundle): the kit is the bundle itself; the app is a hello of
            # our own on a disk made with the bundle's base files.
            kit=$bundle
            tar -xJf "$bundle" -C unpacked kernel/loader-stripped.elf
            generic_kernel=$PWD/unpacked/kernel/loader-stripped.elf
            link_dir=
            printf '#include <stdio.h>\nint main(void) { puts("Hello from C code"); return 0; }\n' > hello.c
            cc -fPIE -pie -o hello hello.c
            hello=$PWD/hello
            printf '[manifest]\n/hello: %s\n' "$hello" > hello.manifest
            manifest=$PWD/hello.manifest
            "$osv_symbols" image rofs --kit "$kit" --manifest "$manifest" -o hello.img > /dev/null
            image=$PWD/hello.img
            printf '[manifest]\n' > base.manifest  # the bundle's base files come with --kit
            base_manifest=$PWD/base.manifest
            return
        fi
        tar -xJf "$bundle" -C unpacked
        top=$(dirname "$(dirname "$(find unpacked -maxdepth 3 -path '*/link/command.txt' | head -1)")")
        [ -f "$top/link/command.txt" ] ||
            { echo "FAIL: $OSV_BUNDLE is neither a kit bundle (kit.yaml) nor a saved OSv kernel (link/command.txt)"; exit 1; }
        top=$(cd "$top" && pwd)
        link_dir=$top/link
        generic_kernel=$top/kernel/loader-stripped.elf
        manifest=$top/image/usr.manifest
        image=$top/image/usr.img
        # OSv's base files: the image's manifest without the native-example programs.
        grep -v '^/hello' "$manifest" | sed "s|: files/|: $top/image/files/|" > base.manifest
        hello=$top/image/files/hello
        "$osv_symbols" kit capture --link-command "$link_dir/command.txt" --cwd "$link_dir" \
            --base-kernel "$generic_kernel" --base-manifest base.manifest -o kit.yaml
    else
        local build=$OSV_ROOT/build/release.x64
        for file in loader.elf loader-stripped.elf usr.manifest usr.img version_script; do
            [ -f "$build/$file" ] || { echo "FAIL: $build/$file is missing; build OSv with image=native-example fs=rofs conf_hide_symbols=1"; exit 1; }
        done
        link_dir=$OSV_ROOT
        generic_kernel=$build/loader-stripped.elf
        manifest=$build/usr.manifest
        image=$build/usr.img
        grep -v '^/hello' "$manifest" > base.manifest
        hello=$(awk -F': *' '$1 == "/hello" { print $2 }' "$manifest")
        "$osv_symbols" kit capture --osv-root "$OSV_ROOT" --make-arg fs=rofs --base-manifest base.manifest -o kit.yaml
    fi
    kit=$PWD/kit.yaml
    base_manifest=$PWD/base.manifest
}

# relink_checked SCRIPT LABEL LINKER-OPTIONS...: relinks the kit's kernel with SCRIPT into
# kernel-LABEL.elf and checks with nm that it exports exactly the script's names.
relink_checked() {
    local script=$1 label=$2
    shift 2
    "$osv_symbols" relink --kit "$kit" --version-script "$script" -o "kernel-$label.elf" --report "kernel-$label.yaml" "$@"
    local exported expected
    exported=$(nm -D --defined-only "kernel-$label.elf" | awk '{print $3}' | sort)
    expected=$(grep -E '^    [^*]+;$' "$script" | tr -d ' ;' | sort)
    [ "$exported" = "$expected" ] || fail "kernel-$label.elf exports differ from $script"
}

# boot_expect KERNEL LABEL REGEX CMDLINE... [-- OSV-RUN OPTIONS...]: boots KERNEL and expects REGEX
# on the console within 120 s; prints PASS with the boot time, or FAIL with the console's tail.
boot_expect() {
    local kernel=$1 label=$2 regex=$3
    shift 3
    local cmdline=() options=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do cmdline+=("$1"); shift; done
    [ $# -eq 0 ] || { shift; options=("$@"); }
    local started finished
    started=$(date +%s%N)
    if "$osv_run" --kernel "$kernel" --timeout 120 --expect "$regex" "${options[@]}" -- "${cmdline[@]}"; then
        finished=$(date +%s%N)
        echo "PASS: $label boots and prints '$regex' ($(( (finished - started) / 1000000 )) ms)"
    else
        fail "$label did not print '$regex'"
    fi
}

# require_programs PROGRAM...: the installed programs a test runs on OSv (or drives from the host).
# A missing one skips the test (exit 77) on a developer's machine, but fails it when CI is set:
# CI installs scripts/debian-packages.txt, so a missing program there is a bug, not a reason to skip.
require_programs() {
    local program missing=()
    for program in "$@"; do command -v "$program" >/dev/null || missing+=("$program"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -n "${CI:-}" ]; then
        echo "FAIL: ${missing[*]} missing (CI is set; scripts/debian-packages.txt should install them)"; exit 1
    fi
    echo "SKIPPED: ${missing[*]} missing (install the Debian packages in scripts/debian-packages.txt)"; exit 77
}

# free_port: a loopback TCP port nothing listens on, from 20000-29999 starting at a random place, so
# that tests running side by side rarely race for the same one.
free_port() {
    local port try
    for try in $(seq 0 99); do
        port=$((20000 + (RANDOM + try) % 10000))
        [ -z "$(ss -Htln "sport = :$port")" ] && { echo "$port"; return 0; }
    done
    echo "FAIL: no free TCP port in 20000-29999" >&2; return 1
}
