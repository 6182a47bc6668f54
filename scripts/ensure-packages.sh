#!/usr/bin/env bash
# Installs, through apt-get (as root or with sudo), the Debian packages of scripts/debian-packages.txt
# and any given as arguments that are not installed yet; does nothing when all are.
# Used by ./run.sh (demo, test) and bench/run.sh (which adds what its plots need).
# Usage: scripts/ensure-packages.sh [PACKAGE...]
set -euo pipefail
list=$(dirname "$0")/debian-packages.txt
missing=()
while read -r package; do
    case "$package" in ''|'#'*) continue ;; esac
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done < <(cat "$list"; printf '%s\n' "$@")
[ ${#missing[@]} -eq 0 ] && exit 0
echo "$(basename "$0"): installing Debian packages: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
