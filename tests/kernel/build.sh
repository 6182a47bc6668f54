#!/bin/bash
# Usage: build.sh SRC_DIR DEST_DIR [MAKE_ARGS...]
#
# Copies the test kernel's sources from SRC_DIR into DEST_DIR (without any
# top-level build/ folder) and builds it there with
#     make -C DEST_DIR -j2 conf_hide_symbols=1 MAKE_ARGS...
# (a later conf_hide_symbols=0 in MAKE_ARGS overrides the default).
#
# A file is only copied when its content differs from the copy in DEST_DIR,
# so unchanged files keep their modification times and a second run with no
# source change rebuilds nothing. Nothing in DEST_DIR is ever deleted.
set -euo pipefail

die() {
    echo "build.sh: error: $*" >&2
    exit 1
}

[ $# -ge 2 ] || die "usage: build.sh SRC_DIR DEST_DIR [MAKE_ARGS...]"
src=$1
dest=$2
shift 2

[ -d "$src" ] || die "source directory '$src' does not exist"
[ -f "$src/Makefile" ] || die "'$src' has no Makefile (not a test kernel tree)"
mkdir -p "$dest" || die "cannot create destination directory '$dest'"

src_abs=$(cd "$src" && pwd -P)
dest_abs=$(cd "$dest" && pwd -P)

if [ "$src_abs" != "$dest_abs" ]; then
    copied=0
    while IFS= read -r -d '' rel; do
        rel=${rel#./}
        from=$src_abs/$rel
        to=$dest_abs/$rel
        # Never copy the destination into itself when it lies inside SRC_DIR.
        case "$from/" in "$dest_abs/"*) continue ;; esac
        if [ -d "$from" ]; then
            mkdir -p "$to" || die "cannot create '$to'"
        elif [ -e "$to" ] && cmp -s "$from" "$to"; then
            :   # unchanged: keep its mtime
        else
            mkdir -p "$(dirname "$to")" || die "cannot create '$(dirname "$to")'"
            cp -f "$from" "$to" || die "cannot copy '$from' to '$to'"
            copied=$((copied + 1))
        fi
    done < <(cd "$src_abs" && find . -mindepth 1 \
                 \( -path ./build -o -path ./.git \) -prune -o \
                 \( -type d -o -type f \) -print0 | LC_ALL=C sort -z)
    if [ "$copied" -gt 0 ] && [ -n "${VERBOSE:-}" ]; then
        echo "build.sh: copied $copied changed file(s) into $dest_abs"
    fi
fi

# Quiet unless VERBOSE is set (as `make VERBOSE=1` and `cmake --build -v` set it): the kernel's
# "CC libc/ctype.c" lines are noise in a consumer's build. On failure the whole log is shown.
log=$dest_abs/make.log
if [ -n "${VERBOSE:-}" ]; then
    make -C "$dest_abs" -j2 conf_hide_symbols=1 "$@" || die "make failed in '$dest_abs' (arguments: -j2 conf_hide_symbols=1 $*)"
elif ! make -C "$dest_abs" -j2 conf_hide_symbols=1 "$@" > "$log" 2>&1; then
    cat "$log" >&2
    die "make failed in '$dest_abs' (arguments: -j2 conf_hide_symbols=1 $*)"
fi
