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

start_engines_with_sleeper apibench api-bench

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
