#!/usr/bin/env bash
# Pull and push speed: `docker push` then `docker pull` of a ~200 MiB image (busybox plus one
# layer: this host's own programs, libraries and shared data by default, which gzip shrinks to
# about 40 %; or random bytes with -k random, which no compressor shrinks) against Debian's
# docker-registry on 127.0.0.1, with the real docker CLI, for a private berthd and — when a
# dockerd binary is installed — a private dockerd in the same run.
#
# Every push and every pull is cold: each one pushes to a registry started empty for it (so no
# layer is skipped or mounted, and neither engine finds what the other sent), and each pull
# starts from an engine with no image left. N rounds alternate the engines, the first engine
# changing every round, so that a busy moment of the machine falls on both; `sync` before each
# timed command keeps the previous one's disk writes out of it. Figures: median and minimum
# seconds, and the daemon's CPU seconds (user + system, children included: dockerd pulls through
# unpigz) for the median, which the machine's load changes less than the wall time.
#
# Usage: bench/pull-push.sh [-n ROUNDS] [-s SIZE_MIB] [-k files|random]
#        (defaults: 3 rounds, 200 MiB, files)
# Needs root. Leaves nothing behind: daemons and registries are stopped by PID, roots removed.
set -euo pipefail

rounds=3
size_mib=200
kind=files
while getopts "n:s:k:" opt; do
    case $opt in
        n) rounds=$OPTARG ;;
        s) size_mib=$OPTARG ;;
        k) kind=$OPTARG ;;
        *) echo "usage: $0 [-n ROUNDS] [-s SIZE_MIB] [-k files|random]" >&2; exit 2 ;;
    esac
done
case $kind in files|random) ;; *) echo "$0: -k takes files or random" >&2; exit 2 ;; esac

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

echo "making a ${size_mib} MiB image ($kind)..." >&2
make_image "$kind"

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
pid_of() { if [ "$1" = dockerd ]; then echo "${pids[1]}"; else echo "${pids[0]}"; fi; }
# CPU seconds a process used so far, its waited-for children included.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat"; }

# Times one command of an engine: appends "seconds cpu-seconds" to $work/<engine>.<what>.
measure() {
    local engine=$1 what=$2 before after took cpu
    shift 2
    sync
    before=$(cpu_of "$(pid_of "$engine")")
    took=$(seconds "$@")
    after=$(cpu_of "$(pid_of "$engine")")
    cpu=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", a - b}')
    echo "$took $cpu" >>"$work/$engine.$what"
    echo "$engine: $what ${took} s (daemon CPU ${cpu} s)" >&2
}

declare -A current
for engine in "${engines[@]}"; do
    DOCKER_HOST=unix://$(sock_of "$engine") "$docker_cli" load -i "$work/big.tar" >/dev/null
    current[$engine]=bench/big:1
done
for round in $(seq "$rounds"); do
    order=("${engines[@]}")
    if [ $((round % 2)) = 0 ] && [ "${#engines[@]}" = 2 ]; then order=("${engines[1]}" "${engines[0]}"); fi
    for engine in "${order[@]}"; do
        export DOCKER_HOST=unix://$(sock_of "$engine")
        registry=$(start_registry "registry-$engine-$round")
        ref=$registry/bench/big:1
        "$docker_cli" tag "${current[$engine]}" "$ref"
        measure "$engine" push "$docker_cli" push "$ref"
        "$docker_cli" images -q | sort -u | xargs -r "$docker_cli" rmi -f >/dev/null
        [ -z "$("$docker_cli" images -q)" ] || { echo "$engine: images left before pull $round" >&2; exit 1; }
        measure "$engine" pull "$docker_cli" pull "$ref"
        current[$engine]=$ref
        kill "$(cat "$work/registry-$engine-$round/registry.pid")"
        rm -rf "$work/registry-$engine-$round/storage"
    done
done
unset DOCKER_HOST
# The median round by seconds, the minimum, and the median's CPU seconds.
summary() {
    sort -n "$1" | awk '{s[NR] = $1; c[NR] = $2} END {m = int((NR + 1) / 2); printf "%8s %8s %8s", s[m], s[1], c[m]}'
}
printf "%-8s %8s %8s %8s %8s %8s %8s\n" engine push push-min push-cpu pull pull-min pull-cpu >"$work/results"
for engine in "${engines[@]}"; do
    printf "%-8s %s %s\n" "$engine" "$(summary "$work/$engine.push")" "$(summary "$work/$engine.pull")" >>"$work/results"
done
echo "seconds over $rounds rounds, ${size_mib} MiB of $kind, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$work/results"
