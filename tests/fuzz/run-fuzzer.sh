#!/bin/sh
# Runs one libFuzzer harness for a while on a corpus kept in the build folder, seeded from the
# source tree (and, for ELF and tar, from a few files of this machine). Prints the executions.
# usage: run-fuzzer.sh HARNESS NAME WORK_DIR SEED_DIR SECONDS
set -eu
harness=$1 name=$2 work=$3 seeds=$4 seconds=$5
corpus=$work/corpus-$name
mkdir -p "$corpus" "$work/seeds-$name"
[ -d "$seeds" ] && cp "$seeds"/* "$work/seeds-$name"/ 2>/dev/null || true
case $name in
    elf) for f in /bin/true /lib64/ld-linux-x86-64.so.2; do [ -f "$f" ] && cp "$f" "$work/seeds-$name"/; done ;;
    tar) printf 'hello\n' > "$work/member"; tar -C "$work" -cJf "$work/seeds-$name/small.tar.xz" member ;;
esac
cd "$work"
exec "$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "$work/seeds-$name"
