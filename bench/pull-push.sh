#!/usr/bin/env bash
# Pull and push speed: `docker push` then `docker pull` of a ~200 MiB image (busybox plus a layer
# of random bytes, which no compressor shrinks) against Debian's docker-registry on 127.0.0.1,
# with the real docker CLI, for a private berthd and — when a dockerd binary is installed — a
# private dockerd in the same run. Each engine pushes to a registry of its own, so neither finds
# the other's blobs there. Pulls run N times, alternating between the engines, each after
# `docker rmi` left no layer behind.
#
# Usage: bench/pull-push.sh [-n PULLS] [-s SIZE_MIB]   (defaults: 3 pulls, 200 MiB)
# Needs root. Leaves nothing behind: daemons and registries are stopped by PID, roots removed.
set -euo pipefail

pulls=3
size_mib=200
while getopts "n:s:" opt; do
    case $opt in
        n) pulls=$OPTARG ;;
        s) size_mib=$OPTARG ;;
        *) echo "usage: $0 [-n PULLS] [-s SIZE_MIB]" >&2; exit 2 ;;
    esac
done

for tool in docker-registry jq curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0 needs $tool" >&2; exit 1; }
done
repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-bench-pp.XXXXXX)
. "$repo/bench/lib.sh"
berth_bridge=bp$$
berth_bip=$(free_bip)
pids=()

cleanup() {
    set +e
    stop_daemons "${pids[@]}"
    remove_cgroup_parents "berth-bench-$$" "docker-bench-$$"
    for pidfile in "$work"/*/registry.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    remove_berth_bridge "$berth_bridge"
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A registry of its own for one engine; prints host:port.
start_registry() {
    local name=$1 port
    port=$(free_port)
    mkdir -p "$work/$name"
    cat >"$work/$name/config.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/$name/storage
http:
  addr: 127.0.0.1:$port
YML
    docker-registry serve "$work/$name/config.yml" >"$work/$name/registry.log" 2>&1 &
    # called in $(…), a subshell: its pid goes to a file for cleanup, not to pids
    echo $! >"$work/$name/registry.pid"
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && { echo "127.0.0.1:$port"; return 0; }
        sleep 0.1
    done
    echo "registry $name did not come up" >&2
    exit 1
}

echo "making a ${size_mib} MiB image..." >&2
make_image

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
declare -A image push
for engine in "${engines[@]}"; do
    export DOCKER_HOST=unix://$(sock_of "$engine")
    registry=$(start_registry "registry-$engine")
    image[$engine]=$registry/bench/big:1
    "$docker_cli" load -i "$work/big.tar" >/dev/null
    "$docker_cli" tag bench/big:1 "${image[$engine]}"
done
for engine in "${engines[@]}"; do
    export DOCKER_HOST=unix://$(sock_of "$engine")
    echo "$engine: push to ${image[$engine]%%/*}..." >&2
    push[$engine]=$(seconds "$docker_cli" push "${image[$engine]}")
done
# Pulls alternate between the engines, so that a busy moment of the machine falls on both.
for i in $(seq "$pulls"); do
    for engine in "${engines[@]}"; do
        export DOCKER_HOST=unix://$(sock_of "$engine")
        "$docker_cli" rmi -f bench/big:1 "${image[$engine]}" >/dev/null 2>&1 || true
        [ -z "$("$docker_cli" images -q)" ] || { echo "$engine: images left before pull $i" >&2; exit 1; }
        echo "$engine: pull $i..." >&2
        seconds "$docker_cli" pull "${image[$engine]}" >>"$work/$engine.pulls"
        echo >>"$work/$engine.pulls"
    done
done
printf "%-8s %10s %10s %10s %10s\n" "engine" "push s" "pull s" "pull min" "MB/s pull" >"$work/results"
for engine in "${engines[@]}"; do
    median=$(sort -n "$work/$engine.pulls" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    min=$(sort -n "$work/$engine.pulls" | head -1)
    rate=$(awk -v s="$median" -v m="$size_mib" 'BEGIN {printf "%.0f", m * 1.048576 / s}')
    printf "%-8s %10s %10s %10s %10s\n" "$engine" "${push[$engine]}" "$median" "$min" "$rate" >>"$work/results"
done
unset DOCKER_HOST
cat "$work/results"
