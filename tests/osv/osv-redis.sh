#!/usr/bin/env bash
# Real-OSv test with a real server: Debian's own /usr/bin/redis-server, unmodified, with the shared
# libraries it needs (osv-symbols closure) in a rofs image, on kernels specialized for it with ld.bfd
# and ld.lld --icf=all, and on the generic kernel for comparison. Each VM is asked from the host
# through a port forward (PING, SET k v, GET k), then told to shut down; the test waits for the VM
# to power itself off. Prints kernel and image sizes, exports, and boot and answer times.
# Usage: osv-redis.sh OSV_SYMBOLS WORK_DIR (real kernel: OSV_BUNDLE or OSV_ROOT, see real-kernel.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/osv/real-kernel.sh
source "$here/real-kernel.sh"
require_programs redis-server redis-cli ss
real_kernel_setup "$@"

redis=$(command -v redis-server)
"$osv_symbols" closure "$redis" --report libs.yaml -o libs.manifest
printf '[manifest]\n/redis-server: %s\n' "$redis" > app.manifest
# Redis and its libraries import names OSv lacks (capget, memfd_create, ...): warnings, not errors;
# the paths redis-server takes here do not call them.
"$osv_symbols" version-script --kit "$kit" --manifest app.manifest --manifest libs.manifest \
    --report app.report.yaml -o app.version_script 2> version-script.log || { cat version-script.log; exit 1; }
echo "version script: $(grep -c "^    [^*]*;$" app.version_script) names;" \
     "$(grep -c unresolved: version-script.log) imports OSv lacks (listed in version-script.log)"
"$osv_symbols" image rofs --kit "$kit" --manifest app.manifest --manifest libs.manifest -o app.img
echo "image: app.img, $(stat -c %s app.img) bytes, redis-server and $(grep -c '^/' libs.manifest) libraries"

# The host side, run by osv-run.sh once the console says Redis is ready: stamps the times, asks,
# then shuts Redis down and waits until QEMU has let go of the port (OSv powers off when its
# program ends, and -no-reboot makes QEMU exit).
cat > client.sh <<'EOF'
port=$1 label=$2
date +%s%N > "$label.ready"
[ "$(redis-cli -p "$port" ping)" = PONG ] || { echo "PING did not answer PONG"; exit 1; }
[ "$(redis-cli -p "$port" set k v)" = OK ] || { echo "SET k v did not answer OK"; exit 1; }
[ "$(redis-cli -p "$port" get k)" = v ] || { echo "GET k did not answer v"; exit 1; }
date +%s%N > "$label.answered"
redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
for _ in $(seq 150); do
    [ -n "$(ss -Htln "sport = :$port")" ] || exit 0
    sleep 0.2
done
echo "the VM did not power off within 30 s of SHUTDOWN"; exit 1
EOF

summary=()
serve() {  # KERNEL LABEL: boots redis-server on KERNEL with app.img and runs client.sh
    local kernel=$1 label=$2 port started served='' try
    # A port free when chosen can be taken before QEMU binds it (tests run side by side): retry then.
    for try in 1 2 3; do
        port=$(free_port)
        started=$(date +%s%N)
        "$osv_run" --kernel "$kernel" --disk app.img --memory 1G --port "$port" --timeout 180 --log "$label.console" \
            --expect 'Ready to accept connections' --client "sh client.sh $port $label" -- \
            --rootfs=rofs /redis-server --bind 0.0.0.0 --protected-mode no --port "$port" && { served=1; break; }
        grep -q 'Could not set up host forwarding' "$label.console" || break
    done
    if [ -n "$served" ]; then
        grep -q 'ready to exit' "$label.console" || fail "$label: Redis did not say it shut down"
        local ready=$(( ($(cat "$label.ready") - started) / 1000000 ))
        local answer=$(( ($(cat "$label.answered") - $(cat "$label.ready")) / 1000000 ))
        echo "PASS: $label answers PING, SET, GET on 127.0.0.1:$port and powers off (ready after $ready ms)"
        summary+=("$(printf '%-22s %9s bytes %5s exports   ready %5s ms   3 answers %4s ms' "$label" \
            "$(stat -c %s "$kernel")" "$(nm -D --defined-only "$kernel" | wc -l)" "$ready" "$answer")")
    else
        fail "$label: redis-server did not serve (console: $PWD/$label.console)"
    fi
}

serve "$generic_kernel" generic
for variant in "bfd" "lld --icf"; do
    label=${variant// /-}; label=${label//--/}
    # shellcheck disable=SC2086 # the variant is two words on purpose
    relink_checked app.version_script "$label" --linker $variant
    serve "kernel-$label.elf" "kernel-$label"
done

printf '%s\n' "${summary[@]}"
finish osv-redis
