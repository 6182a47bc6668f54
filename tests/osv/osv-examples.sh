#!/usr/bin/env bash
# Real-OSv test of the CMake module, as a user meets it: the examples project configured with the
# kit of a real kernel and -DOSV_EXAMPLES_TESTS=ON, built, and its osv_add_test() tests run:
# hello (rofs disk and single-file ramfs kernel), multi-lib (dlopen()ed plugin, dlsym'd getenv
# kept) and system-app (Debian's redis-server answering PING/SET/GET through a port forward).
# A second build must have nothing to do. Then the same with the Meson recipe (examples/meson-hello).
# Usage: osv-examples.sh OSV_SYMBOLS SOURCE_ROOT WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$2" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
real_kernel_setup "$1" "$3"

if [ ! -x /usr/bin/redis-server ] || ! command -v redis-cli >/dev/null; then
    # CI installs them (scripts/debian-packages.txt): there a missing redis is a failure, not a skip.
    [ -z "${CI:-}" ] || fail "redis-server or redis-cli is missing (Debian packages redis-server, redis-tools)"
    echo "note: redis-server or redis-cli is missing, so system-app is the cmake binary and is not booted"
fi
cmake -S "$source_root/examples" -B build -G Ninja -DOSV_KIT="$kit" -DOSV_EXAMPLES_TESTS=ON \
      -DOSV_SYMBOLS_EXECUTABLE="$osv_symbols" > configure.log 2>&1 ||
    { cat configure.log; fail "configure"; finish osv-examples; }
cmake --build build > build.log 2>&1 || { tail -30 build.log; fail "build"; finish osv-examples; }
grep -E '^kernel.elf: ' build.log || true
for app in hello hello-ramfs multi-lib system-app; do
    [ -f "build/$(echo "$app" | sed 's/-ramfs//')/$app-osv/kernel.elf" ] || fail "$app: kernel.elf missing"
done
[ -f build/hello/hello-osv/hello.img ] && echo "hello.img: $(stat -c %s build/hello/hello-osv/hello.img) bytes" ||
    fail "hello.img missing"
grep -q '^/usr/lib/' build/system-app/system-app-osv/system-app.libs.manifest ||
    fail "system-app's libraries were not found by the closure"

if (cd build && ctest --output-on-failure); then
    echo "PASS: the examples' osv_add_test() tests"
else
    fail "the examples' osv_add_test() tests"
fi
if ninja -C build -n | grep -q "no work to do"; then echo "PASS: a second build has nothing to do"; else fail "a second build has work"; fi
# The size report of one app, on demand.
if cmake --build build --target explain-hello > explain.log 2>&1 && grep -q "__libc_start_main" build/hello/hello-osv/hello.explain.yaml &&
   grep -q "<html" build/hello/hello-osv/hello.explain.html; then
    echo "PASS: explain-hello wrote hello.explain.yaml and .html"
else
    tail -20 explain.log; fail "explain-hello"
fi

# The Meson recipe on the same kernel: two apps in one folder, each booted by its test().
# meson/src and meson/build, as in tests/meson/consumer-test.sh: the same relative paths let the
# compiler cache of ./run.sh test serve the helper compiled there.
mkdir meson
cp -R "$source_root/examples/meson-hello" meson/src
rm -rf meson/src/subprojects/osv-specialize && ln -s "$source_root" meson/src/subprojects/osv-specialize
# -Ddebug=false as in the Meson consumer test, whose objects the compiler cache then serves here.
meson setup --wrap-mode=nodownload -Ddebug=false meson/build meson/src -Dosv_kit="$kit" > meson-setup.log 2>&1 ||
    { cat meson-setup.log; fail "meson setup"; finish osv-examples; }
if meson test -C meson/build --suite osv > meson-test.log 2>&1; then
    echo "PASS: meson-hello's apps boot ($(grep -c ' OK ' meson-test.log) tests)"
else
    cat meson-test.log; fail "meson-hello's tests"
fi
finish osv-examples
