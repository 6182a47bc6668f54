#!/usr/bin/env bash
# Real-OSv test with a real program doing real work: Debian's own /usr/bin/sqlite3, unmodified, runs
# an SQL file from a rofs image against a database file in the image (built here by the host's
# sqlite3) and prints computed results. Why sqlite3: a widely used program whose library closure
# (libsqlite3, libreadline, libtinfo, libz) is not the kernel's, that reads files through the image
# (a database with sqlite's page I/O and locking, and a script), computes for a while and exits;
# the host's sqlite3 on the same files gives the expected output, so the check is exact.
# Kernels: generic, and specialized with ld.bfd and ld.lld --icf=all.
# Usage: osv-program.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT, see real-kernel.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
require_programs sqlite3
real_kernel_setup "$@"

sqlite=$(command -v sqlite3)
sqlite3 data.db <<'EOF'
CREATE TABLE items(item TEXT PRIMARY KEY, price INTEGER);
INSERT INTO items VALUES ('apple', 3), ('pear', 5), ('fig', 7);
CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT, qty INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)
INSERT INTO orders SELECT x, CASE x % 3 WHEN 0 THEN 'apple' WHEN 1 THEN 'pear' ELSE 'fig' END, x % 10 + 1 FROM c;
EOF
cat > query.sql <<'EOF'
-- Primes below 3000 by trial division (about 5 s under TCG, 0.08 s natively), then a join over the image's database.
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(x) AS (SELECT 2 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) INSERT INTO n SELECT x FROM c;
SELECT 'primes below 3000: ' || count(*) || ', largest ' || max(i) FROM n AS a
 WHERE NOT EXISTS (SELECT 1 FROM n AS b WHERE b.i * b.i <= a.i AND a.i % b.i = 0);
SELECT 'revenue by item: ' || group_concat(item || '=' || revenue, ' ') FROM
 (SELECT item, sum(qty * price) AS revenue FROM orders JOIN items USING (item) GROUP BY item ORDER BY item);
SELECT 'orders: ' || count(*) || ', total ' || sum(qty * price) FROM orders JOIN items USING (item);
EOF
# The expected output: the host's sqlite3 on the same files. The last line ends the run.
sqlite3 -readonly data.db ".read query.sql" > expected.txt
last=$(tail -1 expected.txt)
echo "expected (from the host's sqlite3):"; sed 's/^/    /' expected.txt

"$osv_symbols" closure "$sqlite" --report libs.yaml -o libs.manifest
printf "[manifest]\n/sqlite3: %s\n/query.sql: %s\n/data.db: %s\n" \
    "$sqlite" "$PWD/query.sql" "$PWD/data.db" > app.manifest
"$osv_symbols" version-script --kit "$kit" --manifest app.manifest --manifest libs.manifest \
    --report app.report.yaml -o app.version_script 2> version-script.log || { cat version-script.log; exit 1; }
echo "version script: $(grep -c "^    [^*]*;$" app.version_script) names;" \
     "$(grep -c unresolved: version-script.log) imports OSv lacks (listed in version-script.log)"
"$osv_symbols" image rofs --kit "$kit" --manifest app.manifest --manifest libs.manifest -o app.img
echo "image: app.img, $(stat -c %s app.img) bytes, sqlite3 and $(grep -c '^/' libs.manifest) libraries"

summary=()
run_sql() {  # KERNEL LABEL
    local kernel=$1 label=$2 started finished
    started=$(date +%s%N)
    # OSv splits its command line at spaces; double quotes keep ".read /query.sql" one argument.
    if "$osv_run" --kernel "$kernel" --disk app.img --timeout 120 --log "$label.console" --expect "^$last" -- \
           --rootfs=rofs /sqlite3 -readonly /data.db '".read /query.sql"'; then
        finished=$(date +%s%N)
        while IFS= read -r line; do
            grep -qxF "$line" <(tr -d '\r' < "$label.console") || fail "$label: the console lacks '$line'"
        done < expected.txt
        echo "PASS: $label runs the SQL and prints the host's results ($(( (finished - started) / 1000000 )) ms)"
        summary+=("$(printf '%-22s %9s bytes %5s exports   boot+SQL %5s ms' "$label" "$(stat -c %s "$kernel")" \
            "$(nm -D --defined-only "$kernel" | wc -l)" "$(( (finished - started) / 1000000 ))")")
    else
        fail "$label: sqlite3 did not print '$last' (console: $PWD/$label.console)"
    fi
}

run_sql "$generic_kernel" generic
for variant in "bfd" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    relink_checked app.version_script "$label" --linker $variant
    run_sql "kernel-$label.elf" "kernel-$label"
done

printf '%s\n' "${summary[@]}"
finish osv-program
