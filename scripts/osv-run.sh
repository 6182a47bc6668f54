#!/usr/bin/env bash
# Boots an OSv kernel under QEMU: the one place that knows how, used by the run targets, by
# osv_add_test() and by the project's real-OSv tests, so they all boot the same way.
#
# usage: osv-run.sh --kernel FILE [--disk IMAGE] [--memory SIZE] [--cpus N] [--port PORT]...
#                   [--timeout SECONDS] [--expect REGEX] [--client COMMAND] [--log FILE] -- CMDLINE...
#
#   --kernel FILE     the kernel (a relinked kernel.elf, or OSv's loader-stripped.elf)
#   --disk IMAGE      the app's disk (raw or qcow2); none for a ramfs kernel
#   --memory SIZE     guest memory (default 512M); --cpus N (default 1)
#   --port PORT       forward 127.0.0.1:PORT to the guest's PORT; HOST:GUEST forwards host port
#                     HOST to guest port GUEST (repeatable; loopback only)
#   --timeout SEC     power the VM off after SEC seconds (default 120; 0 = no bound, for run targets)
#   --expect REGEX    succeed once the console shows REGEX (then the VM is powered off)
#   --client COMMAND  once the console shows REGEX (or at once without --expect), run COMMAND
#                     with sh -c; its exit status is the result, and the VM is powered off after it
#   --log FILE        keep the console output there (default: a temporary file)
# OSV_ACCEL=kvm uses KVM instead of TCG.
# Without --expect and --client the console is on the terminal, as for `run-<app>` targets.
# Exit status: 0 success; 1 the console never showed REGEX, the client failed, or the VM died
# first; 2 usage. No VM outlives this script: it is killed on every way out.
set -euo pipefail

usage() { sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
kernel= disk= memory=512M cpus=1 timeout_s=120 expect= client= log=
ports=()
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) kernel=$2; shift 2 ;;
        --disk) disk=$2; shift 2 ;;
        --memory) memory=$2; shift 2 ;;
        --cpus) cpus=$2; shift 2 ;;
        --port) ports+=("$2"); shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --expect) expect=$2; shift 2 ;;
        --client) client=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "osv-run.sh: unknown option '$1'" >&2; usage ;;
    esac
done
[ -n "$kernel" ] && [ $# -gt 0 ] || usage
[ -f "$kernel" ] || { echo "osv-run.sh: kernel '$kernel' does not exist; build it first" >&2; exit 2; }
[ -z "$disk" ] || [ -f "$disk" ] || { echo "osv-run.sh: disk '$disk' does not exist; build it first" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
    { echo "osv-run.sh: qemu-system-x86_64 is missing; install Debian's qemu-system-x86" >&2; exit 2; }

# TCG unless OSV_ACCEL=kvm: a /dev/kvm that opens is no proof that KVM runs OSv (on some hosts
# it stops at an "emulation failure" and hangs), and TCG boots OSv in about half a second.
accel=${OSV_ACCEL:-tcg}
qemu=(qemu-system-x86_64 -accel "$accel" -m "$memory" -smp "$cpus" -display none -monitor none -serial stdio
      -no-reboot -kernel "$kernel" -append "$*")
if [ -n "$disk" ]; then
    format=raw
    [ "$(od -An -tx1 -N4 "$disk" | tr -d ' ')" = 514649fb ] && format=qcow2  # "QFI\xfb"
    qemu+=(-device virtio-blk-pci,drive=hd0 -drive "file=$disk,format=$format,if=none,id=hd0,snapshot=on")
fi
if [ ${#ports[@]} -gt 0 ]; then
    forwards=
    for port in "${ports[@]}"; do
        [[ "$port" =~ ^([0-9]+)(:([0-9]+))?$ ]] || { echo "osv-run.sh: --port '$port' is not PORT or HOST:GUEST" >&2; exit 2; }
        forwards+=",hostfwd=tcp:127.0.0.1:${BASH_REMATCH[1]}-:${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}"
    done
    qemu+=(-netdev "user,id=net0$forwards" -device virtio-net-pci,netdev=net0)
else
    qemu+=(-nic none)
fi

if [ -z "$expect" ] && [ -z "$client" ]; then
    if [ "$timeout_s" = 0 ]; then exec "${qemu[@]}"; fi
    exec timeout --foreground "$timeout_s" "${qemu[@]}"
fi

log_is_temp=
[ -n "$log" ] || { log=$(mktemp); log_is_temp=1; }
: > "$log"
bound=$timeout_s; [ "$bound" != 0 ] || bound=3600
timeout "$bound" "${qemu[@]}" < /dev/null > "$log" 2>&1 &
vm=$!
stop_vm() { kill "$vm" 2>/dev/null || true; wait "$vm" 2>/dev/null || true; }
trap 'stop_vm; [ -z "$log_is_temp" ] || rm -f "$log"' EXIT
trap 'exit 130' INT TERM HUP

seen=
if [ -n "$expect" ]; then
    while kill -0 "$vm" 2>/dev/null; do
        if grep -Eq -- "$expect" "$log"; then seen=1; break; fi
        sleep 0.1
    done
    if [ -z "$seen" ] && grep -Eq -- "$expect" "$log"; then seen=1; fi
    if [ -z "$seen" ]; then
        echo "osv-run.sh: the console never showed '$expect' (the VM ended or hit the ${timeout_s}s bound); it said:" >&2
        tail -25 "$log" >&2
        exit 1
    fi
fi
status=0
if [ -n "$client" ]; then
    kill -0 "$vm" 2>/dev/null || { echo "osv-run.sh: the VM ended before the client could run; it said:" >&2
                                   tail -25 "$log" >&2; exit 1; }
    sh -c "$client" || status=$?
    [ "$status" -eq 0 ] || { echo "osv-run.sh: the client failed (exit $status); the console said:" >&2
                             tail -25 "$log" >&2; status=1; }
fi
exit "$status"
