#!/usr/bin/env bash
# An installed osv-specialize serves the same consumer meson.build as the subproject does:
# `meson install` the project into a prefix, capture a kit with the installed helper from the
# installed test-kernel sources, then build examples/meson-hello with no subproject at all
# (find_program through PATH, dependency through osv-specialize.pc) and -Dosv_kit.
# Usage: installed-test.sh SOURCE_ROOT WORK_DIR
set -euo pipefail
root=$(cd "$1" && pwd)
mkdir -p "$2" && work=$(cd "$2" && pwd)
rm -rf "$work"/{build-project,prefix,consumer,build,kernel}
failures=0
check() { if "${@:2}"; then echo "PASS: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }

# --unity on as meson_project builds it (project-build-test.sh), which runs first: the compiler
# cache then holds every object this build needs.
meson setup "$work/build-project" "$root" --unity on -Ddebug=false --prefix "$work/prefix" -Dtests=false > "$work/setup-project.log"
meson install -C "$work/build-project" > "$work/install.log"
prefix=$work/prefix
check "installed bin/osv-symbols" test -x "$prefix/bin/osv-symbols"
check "installed osv-specialize.pc" test -f "$prefix/share/pkgconfig/osv-specialize.pc"
check "installed templates" test -f "$prefix/share/OSvSpecialize/templates/version_script.in"

export PATH="$prefix/bin:$PATH" PKG_CONFIG_PATH="$prefix/share/pkgconfig"
bash "$prefix/share/OSvSpecialize/tests/kernel/build.sh" "$prefix/share/OSvSpecialize/tests/kernel" "$work/kernel" > "$work/kernel.log"
osv-symbols kit capture --osv-root "$work/kernel" -o "$work/kit.yaml" > /dev/null

cp -R "$root/examples/meson-hello" "$work/consumer"
rm -rf "$work/consumer/subprojects"   # no subproject: only the installed copy can answer
meson setup --wrap-mode=nofallback "$work/build" "$work/consumer" -Dosv_kit="$work/kit.yaml" > "$work/setup.log"
check "dependency('osv-specialize') found through pkg-config" grep -q "Run-time dependency osv-specialize found: YES" "$work/setup.log"
check "find_program('osv-symbols') found the installed helper" grep -q "Program osv-symbols found: YES ($prefix/bin/osv-symbols)" "$work/setup.log"
meson compile -C "$work/build" > "$work/build.log"
exported=$(nm -D --defined-only "$work/build/hello.kernel.elf" | awk '{print $3}' | LC_ALL=C sort)
scripted=$(grep -E '^    [^*]+;$' "$work/build/hello.version_script" | tr -d ' ;' | LC_ALL=C sort)
check "kernel.elf exports exactly hello.version_script" test "$exported" == "$scripted"
check "the script has puts and __libc_start_main" grep -qx "    puts;" "$work/build/hello.version_script"

# Without a kit, an installed copy says what to pass.
if meson setup --wrap-mode=nofallback "$work/build-no-kit" "$work/consumer" > "$work/setup-no-kit.log" 2>&1; then
    echo "FAIL: setup without a kit succeeded"; failures=$((failures + 1))
else
    check "without -Dosv_kit the consumer asks for one" grep -q "pass -Dosv_kit=<kit.yaml>" "$work/setup-no-kit.log"
fi
[ "$failures" -eq 0 ] && echo "meson installed copy: all checks passed" || { echo "meson installed copy: $failures failure(s)"; exit 1; }
