# Shared by the CMake consumer tests: assertions that print PASS/FAIL lines.
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_equal() {  # actual expected what
    if [ "$1" == "$2" ]; then pass "$3"; else fail "$3"; echo "  expected: $2"; echo "  actual:   $1"; fi
}
# The names a version script exports (its "    name;" lines).
script_names() { grep -E '^    [^*]+;$' "$1" | tr -d ' ;' | LC_ALL=C sort; }
exported_names() { nm -D --defined-only "$1" | awk '{print $3}' | LC_ALL=C sort; }
finish() {
    if [ "$failures" -eq 0 ]; then echo "$1: all checks passed"; exit 0; fi
    echo "$1: $failures check(s) failed"; exit 1
}
