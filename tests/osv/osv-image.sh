#!/usr/bin/env bash
# Real-OSv test of app images: from the hello image's usr.manifest, a rofs disk that the generic
# and the specialized kernel boot, and a single-file kernel with the files built in (relink
# --bootfs) that boots with no disk. Each must print "Hello from C code"; images are built twice
# and must be byte-identical.
# Usage: osv-image.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT, see real-kernel.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$@"

"$osv_symbols" version-script --kit "$kit" --manifest "$manifest" -o hello.version_script 2>/dev/null

# 1. A rofs disk, for the generic kernel and the specialized one.
"$osv_symbols" image rofs --manifest "$manifest" --depfile app.img.d -o app.img
"$osv_symbols" image rofs --manifest "$manifest" -o app-again.img
cmp -s app.img app-again.img || fail "two rofs images of the same manifest differ"
echo "rofs disk: app.img, $(stat -c %s app.img) bytes"
"$osv_symbols" relink --kit "$kit" --version-script hello.version_script --linker lld --icf -o kernel.elf
boot_expect "$generic_kernel" "generic kernel with app.img" "Hello from C code" --rootfs=rofs /hello -- --disk app.img
boot_expect kernel.elf "kernel.elf ($(stat -c %s kernel.elf) bytes) with app.img" "Hello from C code" \
    --rootfs=rofs /hello -- --disk app.img

# 2. The same files built into the kernel: one file, no disk.
"$osv_symbols" image bootfs --manifest "$manifest" -o bootfs.bin
echo "bootfs archive: bootfs.bin, $(stat -c %s bootfs.bin) bytes"
for variant in "bfd" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    "$osv_symbols" relink --kit "$kit" --version-script hello.version_script --bootfs bootfs.bin --linker $variant \
        -o "kernel-ramfs-$label.elf" --depfile "kernel-ramfs-$label.d"
    grep -q "bootfs.bin" "kernel-ramfs-$label.d" || fail "the depfile of kernel-ramfs-$label.elf misses bootfs.bin"
    boot_expect "kernel-ramfs-$label.elf" "kernel-ramfs-$label.elf ($(stat -c %s "kernel-ramfs-$label.elf") bytes, no disk)" \
        "Hello from C code" --rootfs=ramfs /hello
done
finish osv-image
