#!/bin/bash
# Usage: consumer-test.sh SOURCE_ROOT WORK_DIR
#
# Builds examples/meson-hello as a user would, with osv-specialize (SOURCE_ROOT, symlinked as
# subprojects/osv-specialize) as its subproject and the bundled test kernel, then checks:
#   - kernel.elf exports exactly hello's imports that the kit exports (= hello.version_script);
#   - (a) new imports in hello.c reach the version script and kernel.elf's exports;
#   - (b) an edit that keeps the imports rebuilds hello but neither rewrites the version script
#         nor relinks the kernel, and leaves Ninja with no work to do.
# Everything is written under WORK_DIR (WORK_DIR/src, WORK_DIR/build), nothing in SOURCE_ROOT.
set -uo pipefail

die() { echo "FAIL: $*"; exit 1; }
[ $# -eq 2 ] || { echo "usage: consumer-test.sh SOURCE_ROOT WORK_DIR" >&2; exit 2; }
root=$(cd "$1" && pwd) || die "no source root '$1'"
mkdir -p "$2" && work=$(cd "$2" && pwd) || die "cannot create '$2'"
[ -f "$root/examples/meson-hello/meson.build" ] || die "$root has no examples/meson-hello"

src=$work/src
build=$work/build
failures=0
check() {   # check DESCRIPTION COMMAND...: one PASS/FAIL line
    local what=$1; shift
    if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
same() { [ "$1" = "$2" ] || { printf '  expected: %s\n  actual:   %s\n' "$1" "$2"; return 1; }; }
contains() { grep -qxF "$2" <<<"$1" || { echo "  '$2' missing from: $(echo $1)"; return 1; }; }

# The consumer project, with the repo as its subproject (the folder the wrap would unpack into).
rm -rf "$src" "$build"
cp -R "$root/examples/meson-hello" "$src" || die "cannot copy examples/meson-hello"
rm -rf "$src/subprojects/osv-specialize"
ln -s "$root" "$src/subprojects/osv-specialize"

build() {   # build LOG: meson compile, output kept in LOG
    meson compile -C "$build" >"$1" 2>&1 || { cat "$1"; die "meson compile failed (see above)"; }
}
# No debug info, as every Meson build of the suite (tests/meson/project-build-test.sh says why).
meson setup --wrap-mode=nodownload -Ddebug=false "$build" "$src" >"$work/setup.log" 2>&1 \
    || { cat "$work/setup.log"; die "meson setup failed (see above)"; }
echo "PASS: meson setup with osv-specialize as a subproject"
build "$work/build-1.log"
echo "PASS: meson compile (helper, test kernel, kit, hello, version script, kernel.elf)"

kit=$build/subprojects/osv-specialize/osv-test-kernel-kit.yaml
for f in "$kit" "$build/hello.version_script" "$build/hello.report.yaml" "$build/hello.kernel.elf" "$build/hello.relink.yaml" "$build/hello.img" "$build/words.kernel.elf" "$build/words.img"; do
    [ -f "$f" ] || die "missing ${f#"$work"/}"
done

# Name lists, one a line, sorted.
kit_exports() { awk '/^exports:/ {on = 1; next} on && /^  - / {print $2; next} on {exit}' "$kit" | sort -u; }
script_names() { sed -n 's/^ *\([A-Za-z_][A-Za-z0-9_.$]*\);$/\1/p' "$build/hello.version_script" | sort -u; }
kernel_exports() { nm -D --defined-only --without-symbol-versions "$build/hello.kernel.elf" | awk '{print $NF}' | sort -u; }
hello_imports() { nm -D --undefined-only --without-symbol-versions "$build/hello" | awk '{print $NF}' | sort -u; }

check_exports() {   # check_exports STEP NAME...: the names must be exported, and nothing else
    local step=$1; shift
    local kit_names script wanted exported
    kit_names=$(kit_exports)
    script=$(script_names)
    wanted=$(comm -12 <(hello_imports) <(echo "$kit_names"))
    exported=$(kernel_exports)
    check "$step: hello.version_script = hello's imports that the kit exports ($(echo $wanted))" \
        same "$(echo $wanted)" "$(echo $script)"
    check "$step: kernel.elf exports exactly the version script's kit names" \
        same "$(comm -12 <(echo "$script") <(echo "$kit_names") | xargs)" "$(echo $exported)"
    for name in "$@"; do
        check "$step: $name in hello.version_script" contains "$script" "$name"
        check "$step: $name exported by kernel.elf" contains "$exported" "$name"
    done
}
check_exports "initial build" __libc_start_main puts
words_exports=$(nm -D --defined-only --without-symbol-versions "$build/words.kernel.elf" | awk '{print $NF}' | sort -u)
for name in qsort strcmp printf; do check "the second app's kernel exports $name" contains "$words_exports" "$name"; done
check "two apps in one folder: each has its own kernel" test "$(cmp -s "$build/hello.kernel.elf" "$build/words.kernel.elf"; echo $?)" = 1

# (a) New imports: strlen and printf (both exported by the test kernel).
sleep 1   # a coarse file system clock must still see hello.c as newer
cat >"$src/hello.c" <<'EOF'
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
    (void)argc;
    puts("Hello from C code");
    printf("my name has %zu letters\n", strlen(argv[0]));
    return 0;
}
EOF
build "$work/build-2.log"
check "(a) rebuild relinked the kernel" grep -q "Generating hello-kernel" "$work/build-2.log"
check_exports "(a) new imports" __libc_start_main puts strlen printf

# (b) Same imports, another string: hello is rebuilt, the version script step runs but keeps
# its output, and the relink is skipped (Ninja's restat).
mtime() { stat -c %y "$1"; }
script_before=$(mtime "$build/hello.version_script")
kernel_before=$(mtime "$build/hello.kernel.elf")
hello_before=$(mtime "$build/hello")
sleep 1
sed -i 's/Hello from C code/Hello again from C code/' "$src/hello.c"
build "$work/build-3.log"
check "(b) hello was rebuilt" test "$(mtime "$build/hello")" != "$hello_before"
check "(b) the version script step ran" grep -q "Generating hello-version-script" "$work/build-3.log"
check "(b) hello.version_script kept its mtime" same "$script_before" "$(mtime "$build/hello.version_script")"
check "(b) kernel.elf kept its mtime (no relink)" same "$kernel_before" "$(mtime "$build/hello.kernel.elf")"
no_relink() { ! grep -q "Generating hello-kernel" "$work/build-3.log"; }
check "(b) no relink in the build output" no_relink
no_work() {
    local dry_run
    dry_run=$(ninja -C "$build" -n 2>&1)
    grep -q "no work to do" <<<"$dry_run" || { echo "$dry_run" | sed 's/^/  /'; return 1; }
}
check "(b) ninja -n afterwards: no work to do" no_work
check_exports "(b) unchanged imports" __libc_start_main puts strlen printf

if [ "$failures" -ne 0 ]; then
    echo "consumer-test: $failures check(s) FAILED (logs in $work)"
    exit 1
fi
echo "consumer-test: all checks passed"
