#!/usr/bin/env bash
# Real-OSv test: `kit bundle` round trip. The kit of a real kernel is packed into one bundle; the
# kernels relinked from the bundle (ld.bfd, ld.lld, ld.lld --icf, each in two folders with two
# caches) are byte-identical to those relinked from the kit, and one of them boots.
# Usage: osv-bundle.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT, see real-kernel.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$@"

seconds() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
"$osv_symbols" version-script --kit "$kit" --manifest "$manifest" -o hello.version_script 2>/dev/null
started=$(date +%s%N)
"$osv_symbols" kit bundle --kit "$kit" -o osv-kit.tar.xz
echo "bundle made in $(seconds "$started") s"
for variant in "bfd" "lld" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    OSV_SPECIALIZE_CACHE=$PWD/cache-tree "$osv_symbols" relink --kit "$kit" --version-script hello.version_script \
        -o "tree-$label.elf" --linker $variant 2>/dev/null
    for where in one two; do
        mkdir -p "$where"
        started=$(date +%s%N)
        # shellcheck disable=SC2086
        OSV_SPECIALIZE_CACHE=$PWD/$where/cache "$osv_symbols" relink --kit osv-kit.tar.xz \
            --version-script hello.version_script -o "$where/$label.elf" --linker $variant 2>/dev/null
        echo "relink from the bundle ($variant, folder $where, cache $([ -f "$where/.warm" ] && echo warm || echo cold)): $(seconds "$started") s"
        touch "$where/.warm"
        cmp -s "$where/$label.elf" "tree-$label.elf" || fail "$where/$label.elf differs from the kernel relinked from the kit"
    done
done
echo "bundle: $(stat -c %s osv-kit.tar.xz) bytes compressed, $(du -sb --apparent-size one/cache/bundles | cut -f1) unpacked"
# The bundle's base files make app images: a disk from the bundle and the app's program alone.
printf '[manifest]\n/hello: %s\n' "$hello" > hello-only.manifest
OSV_SPECIALIZE_CACHE=$PWD/one/cache "$osv_symbols" image rofs --kit osv-kit.tar.xz --manifest hello-only.manifest -o app.img
tar -tJf osv-kit.tar.xz > bundle.list
grep -qx 'base/files/libenviron.so' bundle.list || fail "the bundle lacks base/files/libenviron.so"
boot_expect one/lld-icf.elf "one/lld-icf.elf, relinked from the bundle, with its base files" "Hello from C code" \
    --rootfs=rofs /hello -- --disk app.img

# A damaged bundle is refused with one line and exit status 2.
head -c 100000 osv-kit.tar.xz > truncated.tar.xz
if OSV_SPECIALIZE_CACHE=$PWD/one/cache "$osv_symbols" relink --kit truncated.tar.xz --version-script hello.version_script \
    -o truncated.elf 2> truncated.err; then
    fail "a truncated bundle was accepted"
else
    status=$?
    [ "$status" -eq 2 ] && [ "$(wc -l < truncated.err)" -eq 1 ] || fail "a truncated bundle gave exit $status: $(cat truncated.err)"
fi
finish osv-bundle
