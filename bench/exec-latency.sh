#!/usr/bin/env bash
# Exec latency: `docker exec <ctr> true` with the real docker CLI, N times, into a running busybox
# container of a private berthd and, when a dockerd binary is installed, of a private dockerd
# started in the same run (its own data root, exec root, socket and pid file, no bridge, no
# iptables). Prints median, p90 and min, and dockerd's median over Berth's. With -b DIR, a second
# berthd built from another checkout (DIR/deploy/bin/berthd, e.g. the commit before a change) is
# measured in the same interleaved runs as "berth-base", for a before/after under the same load.
# "cli-floor" is the CLI against bench/instant-engine.py, which answers at once and runs nothing:
# what the docker CLI itself takes, a floor for every engine.
#
# Usage: bench/exec-latency.sh [-n RUNS] [-w WARMUP] [-b BASELINE_CHECKOUT]
#        (defaults: 30 runs, 10 warm-up runs)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots removed.
set -euo pipefail

runs=30
warmup=10
baseline=""
while getopts "n:w:b:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warmup=$OPTARG ;;
        b) baseline=$(cd "$OPTARG" && pwd) ;;
        *) echo "usage: $0 [-n RUNS] [-w WARMUP] [-b BASELINE_CHECKOUT]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-exec-bench.XXXXXX)
. "$repo/bench/lib.sh"
berth_bridge=be$$
berth_bip=$(free_bip)
berthd_pid=""
base_pid=""
dockerd_pid=""
instant_pid=""

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/base.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $base_pid $dockerd_pid $instant_pid
    remove_cgroup_parents "berth-execbench-$$" "base-execbench-$$" "docker-execbench-$$"
    remove_berth_bridge "$berth_bridge"
    remove_berth_bridge "${berth_bridge}b"
    rm -rf "$work"
}
trap cleanup EXIT

start_engines_with_sleeper execbench exec-bench
# The CLI's own floor: a server that answers its five requests at once and runs nothing.
python3 "$repo/bench/instant-engine.py" "$work/instant.sock" >"$work/instant.log" 2>&1 &
instant_pid=$!
wait_for "$work/instant.sock" "$work/instant.log"
engines+=(cli-floor)

run_once() {
    local engine=$1 sock
    case $engine in
        berth) sock=$work/berth.sock ;;
        berth-base) sock=$work/base.sock ;;
        dockerd) sock=$work/docker.sock ;;
        cli-floor) sock=$work/instant.sock ;;
    esac
    local start end
    start=$(date +%s%N)
    if ! DOCKER_HOST=unix://$sock "$docker_cli" exec exec-bench true >/dev/null 2>"$work/$engine.err"; then
        echo fail
        return
    fi
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warming up ($warmup runs each)..." >&2
for _ in $(seq "$warmup"); do
    for engine in "${engines[@]}"; do run_once "$engine" >/dev/null; done
done
echo "measuring ($runs runs each, interleaved)..." >&2
for _ in $(seq "$runs"); do
    for engine in "${engines[@]}"; do
        sample=$(run_once "$engine")
        if [ "$sample" = fail ]; then
            echo "$engine: a run failed: $(head -c 300 "$work/$engine.err")" >&2
            echo fail >>"$work/$engine.failed"
        else
            echo "$sample" >>"$work/$engine.us"
        fi
    done
done

stats() {
    sort -n "$1" | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int((NR+1)/2)]/1000, a[int(NR*0.9)]/1000, a[1]/1000}'
}
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-10s %10s %10s %10s %8s\n" "engine" "median ms" "p90 ms" "min ms" "failed"
for engine in "${engines[@]}"; do
    read -r median p90 min <<<"$(stats "$work/$engine.us")"
    failed=0
    [ -f "$work/$engine.failed" ] && failed=$(wc -l <"$work/$engine.failed")
    printf "%-10s %10s %10s %10s %8s\n" "$engine" "$median" "$p90" "$min" "$failed"
    eval "median_${engine//-/_}=$median"
done
if [ -n "$base_pid" ]; then
    awk -v b="$median_berth" -v d="$median_berth_base" 'BEGIN {printf "berth / berth-base (median): %.2f\n", b / d}'
fi
if [ -n "$dockerd_pid" ]; then
    awk -v b="$median_berth" -v d="$median_dockerd" \
        'BEGIN {printf "berth / dockerd (median): %.2f (goal: at most 0.50)\n", b / d}'
    awk -v f="$median_cli_floor" -v d="$median_dockerd" \
        'BEGIN {printf "cli-floor / dockerd (median): %.2f: the CLI alone, against a server that answers at once\n", f / d}'
fi
