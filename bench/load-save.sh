#!/usr/bin/env bash
# Load and save speed: `docker load -i` and `docker save -o` of a ~200 MiB image (busybox plus a
# layer of random bytes) with the real docker CLI, for a private berthd and — when a dockerd
# binary is installed — a private dockerd in the same run. Runs N rounds, alternating between the
# engines so that a busy moment of the machine falls on both; each load starts from an engine
# with no image (`docker rmi` first), each save writes a fresh file.
#
# Usage: bench/load-save.sh [-n ROUNDS] [-s SIZE_MIB]   (defaults: 3 rounds, 200 MiB)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots removed.
set -euo pipefail

rounds=3
size_mib=200
while getopts "n:s:" opt; do
    case $opt in
        n) rounds=$OPTARG ;;
        s) size_mib=$OPTARG ;;
        *) echo "usage: $0 [-n ROUNDS] [-s SIZE_MIB]" >&2; exit 2 ;;
    esac
done

for tool in jq; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0 needs $tool" >&2; exit 1; }
done
repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-bench-ls.XXXXXX)
. "$repo/bench/lib.sh"
berth_bridge=bl$$
berth_bip=$(free_bip)
pids=()

cleanup() {
    set +e
    stop_daemons "${pids[@]}"
    remove_cgroup_parents "berth-bench-$$" "docker-bench-$$"
    remove_berth_bridge "$berth_bridge"
    rm -rf "$work"
}
trap cleanup EXIT

echo "making a ${size_mib} MiB image..." >&2
make_image
archive_mib=$(du -m "$work/big.tar" | cut -f1)

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" --bridge "$berth_bridge" --bip "$berth_bip" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-bench-$$" >"$work/berthd.log" 2>&1 &
pids+=($!)
wait_for "$work/berth.sock" "$work/berthd.log"
engines=(berth)
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-bench-$$" >"$work/dockerd.log" 2>&1 &
    pids+=($!)
    wait_for "$work/docker.sock" "$work/dockerd.log"
    engines+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

sock_of() { if [ "$1" = dockerd ]; then echo "$work/docker.sock"; else echo "$work/berth.sock"; fi; }
for i in $(seq "$rounds"); do
    for engine in "${engines[@]}"; do
        export DOCKER_HOST=unix://$(sock_of "$engine")
        "$docker_cli" rmi bench/big:1 >/dev/null 2>&1 || true
        [ -z "$("$docker_cli" images -aq)" ] || { echo "$engine: images left before load $i" >&2; exit 1; }
        echo "$engine: load $i..." >&2
        seconds "$docker_cli" load -i "$work/big.tar" >>"$work/$engine.loads"
        echo >>"$work/$engine.loads"
        echo "$engine: save $i..." >&2
        rm -f "$work/saved.tar"
        seconds "$docker_cli" save -o "$work/saved.tar" bench/big:1 >>"$work/$engine.saves"
        echo >>"$work/$engine.saves"
        du -m "$work/saved.tar" | cut -f1 >"$work/$engine.saved-mib"
        rm -f "$work/saved.tar"
    done
done
unset DOCKER_HOST

median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "%-8s %8s %10s %8s %10s\n" "engine" "load s" "load MiB/s" "save s" "save MiB/s"
for engine in "${engines[@]}"; do
    load=$(median "$work/$engine.loads")
    save=$(median "$work/$engine.saves")
    saved_mib=$(cat "$work/$engine.saved-mib")
    printf "%-8s %8s %10.0f %8s %10.0f\n" "$engine" "$load" "$(awk -v m="$archive_mib" -v s="$load" 'BEGIN {print m / s}')" \
        "$save" "$(awk -v m="$saved_mib" -v s="$save" 'BEGIN {print m / s}')"
done
echo "(medians of $rounds rounds; MiB/s over the archive's size: ${archive_mib} MiB loaded)"
