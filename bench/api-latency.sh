#!/usr/bin/env bash
# API request latency: single Docker API requests (HEAD /_ping, GET /containers/X/json,
# POST /containers/X/exec, GET /exec/ID/json) timed by a tiny client (bench/api-latency.py) over
# the unix socket of a private berthd, on one kept-alive connection per kind ("keep") and on a new
# connection per request ("new", connect included, as the docker CLI does for exec start and
# inspect), with a pause between requests (the CLI is no tight loop: each request finds the
# daemon's threads parked). With -b DIR a second berthd built from another checkout is measured
# in the same interleaved rounds as "berth-base"; a private dockerd too when one is installed.
#
# Usage: bench/api-latency.sh [-n RUNS] [-p PAUSE_MS] [-b BASELINE_CHECKOUT]
#        (defaults: 100 requests of each kind and mode, 20 ms pauses)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots removed.
set -euo pipefail

runs=100
pause=20
baseline=""
while getopts "n:p:b:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        p) pause=$OPTARG ;;
        b) baseline=$(cd "$OPTARG" && pwd) ;;
        *) echo "usage: $0 [-n RUNS] [-p PAUSE_MS] [-b BASELINE_CHECKOUT]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-api-bench.XXXXXX)
. "$repo/bench/lib.sh"
berth_bridge=be$$
berth_bip=$(free_bip)
berthd_pid=""
base_pid=""
dockerd_pid=""

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/base.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $base_pid $dockerd_pid
    remove_cgroup_parents "berth-apibench-$$" "base-apibench-$$" "docker-apibench-$$"
    remove_berth_bridge "$berth_bridge"
    remove_berth_bridge "${berth_bridge}b"
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" --bridge "$berth_bridge" --bip "$berth_bip" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-apibench-$$" >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" load >/dev/null
DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" run -d --network none --name api-bench busybox sleep 100000 >/dev/null

engines=(berth)
if [ -n "$baseline" ]; then
    echo "starting the baseline berthd from $baseline..." >&2
    "$baseline/deploy/bin/berthd" -H "unix://$work/base.sock" --data-root "$work/base-data" --exec-root "$work/base-exec" --bridge "${berth_bridge}b" --bip "$(free_bip "$berth_bip")" \
        --pidfile "$work/base.pid" --cgroup-parent "/base-apibench-$$" >"$work/base.log" 2>&1 &
    base_pid=$!
    wait_for "$work/base.sock" "$work/base.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/base.sock" "$docker_cli" load >/dev/null
    DOCKER_HOST="unix://$work/base.sock" "$docker_cli" run -d --network none --name api-bench busybox sleep 100000 >/dev/null
    engines+=(berth-base)
fi
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-apibench-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
    DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" run -d --network none --name api-bench busybox sleep 100000 >/dev/null
    engines+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

sock_of() {
    case $1 in
        berth) echo "$work/berth.sock" ;;
        berth-base) echo "$work/base.sock" ;;
        dockerd) echo "$work/docker.sock" ;;
    esac
}

round=10
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warming up..." >&2
for engine in "${engines[@]}"; do
    for mode in keep new; do
        python3 "$repo/bench/api-latency.py" "$(sock_of "$engine")" api-bench "$mode" 20 "$pause" warm "$work"
    done
done
echo "measuring ($runs requests of each kind and mode per engine, interleaved in rounds of $round)..." >&2
for _ in $(seq $(( (runs + round - 1) / round ))); do
    for engine in "${engines[@]}"; do
        for mode in keep new; do
            python3 "$repo/bench/api-latency.py" "$(sock_of "$engine")" api-bench "$mode" "$round" "$pause" "$engine" "$work"
        done
    done
done

stats() {
    sort -n "$1" | awk '{a[NR]=$1} END {printf "%.2f %.2f %.2f", a[int((NR+1)/2)]/1000, a[int(NR*0.9)]/1000, a[1]/1000}'
}
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-13s %-5s %-10s %10s %10s %10s\n" "request" "conn" "engine" "median ms" "p90 ms" "min ms"
for kind in ping inspect exec-create exec-inspect; do
    for mode in keep new; do
        for engine in "${engines[@]}"; do
            read -r median p90 min <<<"$(stats "$work/$engine.$mode.$kind.us")"
            printf "%-13s %-5s %-10s %10s %10s %10s\n" "$kind" "$mode" "$engine" "$median" "$p90" "$min"
        done
    done
done
