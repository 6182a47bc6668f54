#!/usr/bin/env bash
# Real-OSv test of the image writers: from the bundled kernel's usr.manifest, a rofs disk booted by
# the generic kernel, and a bootfs archive linked into a single-file kernel booted with no disk.
# Both must print "Hello from C code" under QEMU (TCG).
#
# Needs OSV_BUNDLE: the path of the real-kernel bundle osv-x64-<version>.tar.xz (kernel/,
# image/usr.manifest and image/files/, link/command.txt and the link's inputs). Without it the
# test says so and exits 77 (ctest reports it as skipped, not passed).
# Usage: osv-image.sh OSV_SYMBOLS WORK_DIR
set -euo pipefail
osv_symbols=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the test cds into WORK_DIR
work=$2

if [ -z "${OSV_BUNDLE:-}" ]; then
    echo "SKIPPED: OSV_BUNDLE is not set; point it at an osv-x64-<version>.tar.xz kernel bundle to boot images on real OSv"
    exit 77
fi
[ -f "$OSV_BUNDLE" ] || { echo "FAIL: OSV_BUNDLE=$OSV_BUNDLE is not a file"; exit 1; }
for tool in qemu-system-x86_64 as strip; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (Debian packages qemu-system-x86, binutils)"; exit 1; }
done

rm -rf "$work" && mkdir -p "$work" && cd "$work"
tar -xJf "$OSV_BUNDLE"
bundle=$(find . -mindepth 1 -maxdepth 1 -type d | head -1)
bundle=$(cd "$bundle" && pwd)
for file in kernel/loader-stripped.elf kernel/version_script image/usr.manifest link/command.txt; do
    [ -f "$bundle/$file" ] || { echo "FAIL: $bundle/$file is missing; is OSV_BUNDLE a kernel bundle?"; exit 1; }
done

failures=0
boot() {  # label expected-text qemu-arguments...
    local label=$1 started finished output
    shift
    started=$(date +%s%N)
    output=$(timeout 120 qemu-system-x86_64 -accel tcg -m 512M -display none -nic none -serial stdio \
        -monitor none -no-reboot "$@" </dev/null 2>&1) || true
    finished=$(date +%s%N)
    if grep -q "Hello from C code" <<<"$output"; then
        echo "PASS: $label prints 'Hello from C code' (boot and run: $(( (finished - started) / 1000000 )) ms)"
    else
        echo "FAIL: $label did not print 'Hello from C code'; QEMU said:"; echo "$output" | tail -20
        failures=$((failures + 1))
    fi
}

# 1. A rofs disk for the generic kernel.
"$osv_symbols" image rofs --manifest "$bundle/image/usr.manifest" --depfile app.img.d -o app.img
echo "rofs disk: app.img, $(stat -c %s app.img) bytes"
boot "generic kernel ($(stat -c %s "$bundle/kernel/loader-stripped.elf") bytes) with app.img" \
    -kernel "$bundle/kernel/loader-stripped.elf" -append "--rootfs=rofs /hello" \
    -device virtio-blk-pci,drive=hd0 -drive file=app.img,format=raw,if=none,id=hd0,snapshot=on

# 2. The same files built into the kernel: bootfs.bin -> bootfs.o -> the kernel link -> strip.
"$osv_symbols" image bootfs --manifest "$bundle/image/usr.manifest" -o bootfs.bin
echo "bootfs archive: bootfs.bin, $(stat -c %s bootfs.bin) bytes"
cat > bootfs.S <<ASM
.pushsection .data
.global bootfs_start
.hidden bootfs_start
bootfs_start:
.incbin "$PWD/bootfs.bin"
.popsection
ASM
as bootfs.S -o bootfs.o
link_args=()
while IFS= read -r arg; do
    case "$arg" in
        "{output}") arg=$PWD/loader-ramfs.elf ;;
        build/release.x64/bootfs.o) arg=$PWD/bootfs.o ;;
    esac
    link_args+=("${arg//\{version_script\}/../kernel/version_script}")
done <"$bundle/link/command.txt"
grep -qx 'build/release.x64/bootfs.o' "$bundle/link/command.txt" ||
    { echo "FAIL: link/command.txt names no build/release.x64/bootfs.o to replace"; exit 1; }
started=$(date +%s%N)
(cd "$bundle/link" && "${link_args[@]}" 2>"$work/link.log") || { echo "FAIL: the kernel link failed:"; tail -20 link.log; exit 1; }
strip loader-ramfs.elf -o kernel-ramfs.elf
echo "ramfs kernel: kernel-ramfs.elf, $(stat -c %s kernel-ramfs.elf) bytes stripped (link and strip: $(( ($(date +%s%N) - started) / 1000000 )) ms)"
boot "kernel-ramfs.elf with the app built in, no disk" -kernel kernel-ramfs.elf -append "--rootfs=ramfs /hello"

[ "$failures" -eq 0 ] && echo "osv-image: both images booted" || { echo "osv-image: $failures failure(s)"; exit 1; }
