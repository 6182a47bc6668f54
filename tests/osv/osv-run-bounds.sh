#!/usr/bin/env bash
# scripts/osv-run.sh keeps its promise that no VM outlives it: a console that never shows the
# expected text ends at the time bound (exit 1), a failing client ends the VM (exit 1), and a
# SIGTERM to the script (what ctest sends on its own timeout) takes the VM down too. The app is
# hello with OSv's --noshutdown, so the VM would otherwise run forever.
# Usage: osv-run-bounds.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$@"

# The VMs of this test are told apart from any other by their own copy of the kernel.
cp "$generic_kernel" bounds-kernel.elf
kernel=$PWD/bounds-kernel.elf
vms() { pgrep -f -- "-kernel $kernel" | wc -l; }
run_vm() { "$osv_run" --kernel "$kernel" --disk "$image" "$@" -- --noshutdown --rootfs=rofs /hello; }

status=0; run_vm --timeout 5 --expect "never printed" > never.log 2>&1 || status=$?
[ "$status" -eq 1 ] && grep -q "never showed 'never printed'" never.log && echo "PASS: an expectation never met ends at the bound (exit 1)" ||
    fail "an unmet expectation gave exit $status: $(tail -3 never.log)"
[ "$(vms)" -eq 0 ] || fail "a VM outlived the unmet expectation"

status=0; run_vm --timeout 60 --expect "Hello from C code" --client false > client.log 2>&1 || status=$?
[ "$status" -eq 1 ] && grep -q "the client failed" client.log && echo "PASS: a failing client fails the run (exit 1)" ||
    fail "a failing client gave exit $status: $(tail -3 client.log)"
[ "$(vms)" -eq 0 ] || fail "a VM outlived the failing client"

# Started directly (not through run_vm, whose subshell would take the signal instead).
"$osv_run" --kernel "$kernel" --disk "$image" --timeout 60 --expect "never printed" -- --noshutdown --rootfs=rofs /hello \
    > killed.log 2>&1 &
runner=$!
for _ in $(seq 50); do [ "$(vms)" -gt 0 ] && break; sleep 0.1; done
[ "$(vms)" -gt 0 ] || fail "the VM did not start"
kill -TERM "$runner"; wait "$runner" || true
for _ in $(seq 50); do [ "$(vms)" -eq 0 ] && break; sleep 0.1; done
[ "$(vms)" -eq 0 ] && echo "PASS: SIGTERM to osv-run.sh takes its VM down" || fail "a VM outlived its killed osv-run.sh"
finish osv-run-bounds
