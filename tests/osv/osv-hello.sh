#!/usr/bin/env bash
# Real-OSv test: capture a kit of a real OSv kernel, make the version script for the hello image
# from its usr.manifest, relink with ld.bfd, ld.lld and ld.lld --icf=all, verify the exports, and
# boot each kernel under QEMU (TCG) expecting "Hello from C code".
#
# The kernel comes from one of (see tests/osv/real-kernel.sh):
#   OSV_BUNDLE  a saved OSv kernel archive (link/command.txt, kernel/, image/; what CI uses) or a
#               kit bundle made by `osv-symbols kit bundle`
#   OSV_ROOT    an OSv tree built with scripts/build image=native-example fs=rofs conf_hide_symbols=1
# Without either the test says so and exits 77 (ctest reports it as skipped, not passed).
# Usage: osv-hello.sh OSV_SYMBOLS WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$@"

"$osv_symbols" version-script --kit "$kit" --manifest "$manifest" --report hello.report.yaml -o hello.version_script
for name in __libc_start_main puts; do
    grep -qx "    $name;" hello.version_script || fail "$name is missing from hello.version_script"
done

boot_expect "$generic_kernel" "generic kernel ($(stat -c %s "$generic_kernel") bytes)" "Hello from C code" \
    --rootfs=rofs /hello -- --disk "$image"
for variant in "bfd" "lld" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    relink_checked hello.version_script "$label" --linker $variant
    boot_expect "kernel-$label.elf" "kernel-$label.elf ($(stat -c %s "kernel-$label.elf") bytes)" "Hello from C code" \
        --rootfs=rofs /hello -- --disk "$image"
done

# The boots above prove something only if a wrong script fails: without puts, OSv must refuse /hello.
grep -vx '    puts;' hello.version_script > without-puts.version_script
"$osv_symbols" relink --kit "$kit" --version-script without-puts.version_script -o kernel-without-puts.elf --linker lld
boot_expect kernel-without-puts.elf "kernel-without-puts.elf (puts removed on purpose)" "failed looking up symbol puts" \
    --rootfs=rofs /hello -- --disk "$image"
finish osv-hello
