#!/usr/bin/env bash
# Real-OSv test: capture a kit from a built OSv tree, make the version script for the hello image
# from the tree's own usr.manifest, relink with ld.bfd, ld.lld and ld.lld --icf=all, verify the
# exports, and boot each kernel under QEMU (TCG) expecting "Hello from C code".
#
# Needs OSV_ROOT: an OSv tree built with
#   scripts/build image=native-example fs=rofs conf_hide_symbols=1
# Without it the test says so and exits 77 (ctest reports it as skipped, not passed).
# Usage: osv-hello.sh OSV_SYMBOLS WORK_DIR
set -euo pipefail
osv_symbols=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the test cds into WORK_DIR
work=$2

if [ -z "${OSV_ROOT:-}" ]; then
    echo "SKIPPED: OSV_ROOT is not set; point it at an OSv tree built with" \
         "'scripts/build image=native-example fs=rofs conf_hide_symbols=1' to run the real-OSv test"
    exit 77
fi
build="$OSV_ROOT/build/release.x64"
for file in loader.elf usr.manifest usr.img version_script; do
    [ -f "$build/$file" ] || { echo "FAIL: $build/$file is missing; build OSv with image=native-example fs=rofs conf_hide_symbols=1"; exit 1; }
done
command -v qemu-system-x86_64 >/dev/null || { echo "FAIL: qemu-system-x86_64 is missing (Debian package qemu-system-x86)"; exit 1; }

rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$osv_symbols" kit capture --osv-root "$OSV_ROOT" --make-arg fs=rofs -o kit.yaml
"$osv_symbols" version-script --kit kit.yaml --manifest "$build/usr.manifest" --report hello.report.yaml -o hello.version_script
for name in __libc_start_main puts; do
    grep -qx "    $name;" hello.version_script || { echo "FAIL: $name is missing from hello.version_script"; exit 1; }
done

failures=0
boot() {  # kernel label
    local started finished output
    started=$(date +%s%N)
    output=$(timeout 180 qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot -nic none \
        -kernel "$1" -append "--rootfs=rofs /hello" \
        -device virtio-blk-pci,id=blk0,drive=hd0 \
        -drive "file=$build/usr.img,if=none,id=hd0,cache=unsafe,readonly=on" </dev/null 2>&1) || true
    finished=$(date +%s%N)
    if grep -q "Hello from C code" <<<"$output"; then
        echo "PASS: $2 boots and prints 'Hello from C code' ($(( (finished - started) / 1000000 )) ms)"
    else
        echo "FAIL: $2 did not print 'Hello from C code'; QEMU said:"; echo "$output" | tail -20
        failures=$((failures + 1))
    fi
}

boot "$build/loader-stripped.elf" "generic kernel ($(stat -c %s "$build/loader-stripped.elf") bytes)"
for variant in "bfd" "lld" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    "$osv_symbols" relink --kit kit.yaml --version-script hello.version_script -o "kernel-$label.elf" \
        --linker $variant --report "kernel-$label.yaml"
    exported=$(nm -D --defined-only "kernel-$label.elf" | awk '{print $3}' | sort)
    expected=$(grep -E '^    [^*]+;$' hello.version_script | tr -d ' ;' | sort)
    if [ "$exported" != "$expected" ]; then
        echo "FAIL: kernel-$label.elf exports differ from hello.version_script"; failures=$((failures + 1))
    fi
    boot "kernel-$label.elf" "kernel-$label.elf ($(stat -c %s "kernel-$label.elf") bytes)"
done
[ "$failures" -eq 0 ] && echo "osv-hello: all kernels verified and booted" || { echo "osv-hello: $failures failure(s)"; exit 1; }
