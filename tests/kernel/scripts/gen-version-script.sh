#!/bin/sh
# Usage: gen-version-script.sh OUTPUT SYMBOLS_FILE...
#
# Writes a linker version script exporting every name listed (one per line)
# in the given .symbols files, with a comment naming each source file, and
# making everything else local. OUTPUT is only rewritten when its content
# would change (nothing at all is written otherwise, so it can run on every
# make invocation, even "make -n").
set -e
out=$1
shift
script=$(
    echo '{'
    echo '  global:'
    for f in "$@"; do
        echo "/*------- $(basename "$f") */"
        sed -e 's/[[:space:]]//g' -e '/^$/d' -e 's/.*/    &;/' "$f"
    done
    echo '  local:'
    echo '    *;'
    echo '};'
)
if ! printf '%s\n' "$script" | cmp -s - "$out"; then
    printf '%s\n' "$script" > "$out"
fi
