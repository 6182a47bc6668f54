#!/bin/sh
# Runs one libFuzzer harness for a while on a corpus kept in the build folder, seeded from the
# source tree (and, for ELF and tar, from small files made here). Prints the executions.
# usage: run-fuzzer.sh HARNESS NAME WORK_DIR SEED_DIR SECONDS
set -eu
harness=$1 name=$2 work=$3 seeds=$4 seconds=$5
corpus=$work/corpus-$name
mkdir -p "$corpus" "$work/seeds-$name"
[ -d "$seeds" ] && cp "$seeds"/* "$work/seeds-$name"/ 2>/dev/null || true
set --
case $name in
    # Small ELF files (about 16 KB) keep the fuzzer fast; built here, so nothing binary is committed.
    elf) printf '#include <stdio.h>\nextern int counter;\nint main(void) { return puts("hi") + counter; }\n' > "$work/app.c"
         printf 'int counter = 1;\nint f(void) { return counter; }\n' > "$work/lib.c"
         cc -shared -fPIC -Wl,-soname,libseed.so -o "$work/seeds-$name/libseed.so" "$work/lib.c"
         cc -o "$work/seeds-$name/app" "$work/app.c" "$work/seeds-$name/libseed.so"
         cc -fno-pie -no-pie -o "$work/seeds-$name/app-nopie" "$work/app.c" "$work/seeds-$name/libseed.so"
         cc -c -ffunction-sections -o "$work/seeds-$name/lib.o" "$work/lib.c"
         set -- -max_len=20000 ;;
    tar) printf 'hello\n' > "$work/member"; tar -C "$work" -cJf "$work/seeds-$name/small.tar.xz" member ;;
esac
cd "$work"
# OSV_FUZZ_RUNS=N: a fixed number of runs from a fixed seed instead of a time budget, so a CI run
# explores exactly what a local run of the same build did (tests/sanitize/sanitize.sh).
if [ -n "${OSV_FUZZ_RUNS:-}" ]; then
    set -- "$@" -runs="$OSV_FUZZ_RUNS" -seed=1
else
    set -- "$@" -max_total_time="$seconds"
fi
exec "$harness" "$@" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "$work/seeds-$name"
