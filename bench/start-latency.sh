#!/usr/bin/env bash
# Start latency: `docker run --rm busybox true` with the real docker CLI, N times, against a
# private berthd and — when a dockerd binary is installed — a private dockerd started on roots
# and a bridge of its own in the same run. Prints median, p90 and min, and the ratio.
#
# With -b, a second berthd built from another checkout (say, the commit before a change) runs in
# the same interleaved loop as "baseline", so that before and after are measured alike.
#
# With --network both, berthd's runs are measured twice, interleaved: on the default bridge
# ("berth") and with --network none ("berth-nonet"); the difference is the bridge's cost. With -b
# as well, the baseline is measured both ways too ("baseline", "baseline-nonet"), so that the
# bridge's cost before and after a change comes from one run.
# --network none measures berthd with --network none only.
#
# With --vfs, a second berthd of this checkout on --storage-driver vfs runs in the same loop as
# "berth-vfs": the cost of copying the image into each container instead of an overlay mount.
#
# Usage: bench/start-latency.sh [-n RUNS] [-w WARMUP] [-b BASELINE_CHECKOUT] [--network default|none|both] [--vfs]
#        (defaults: 30 runs, 20 warm-up runs, no baseline, the default network)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots and bridge removed.
set -euo pipefail

runs=30
warmup=20
baseline=""
network=default
vfs=""
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --network) network=$2; shift 2 ;;
        --network=*) network=${1#--network=}; shift ;;
        --vfs) vfs=yes; shift ;;
        *) args+=("$1"); shift ;;
    esac
done
case $network in
    default|none|both) ;;
    *) echo "--network must be default, none or both" >&2; exit 2 ;;
esac
set -- "${args[@]+"${args[@]}"}"
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
work=$(mktemp -d /tmp/berth-bench.XXXXXX)
. "$repo/bench/lib.sh"
berthd_pid=""
baseline_pid=""
vfs_pid=""
dockerd_pid=""
bridge=berthbench0
# berthd's own default bridge: a name and a 10.x subnet of this run, so that benches and tests
# running side by side never share one.
berth_bridge=bb$$
berth_bip=$(free_bip)

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/baseline.sock" "$work/docker.sock" "$work/vfs.sock"
    stop_daemons $berthd_pid $baseline_pid $dockerd_pid $vfs_pid
    ip link show "$bridge" >/dev/null 2>&1 && ip link delete "$bridge"
    remove_berth_bridge "$berth_bridge"
    remove_berth_bridge "${berth_bridge}b"
    remove_berth_bridge "${berth_bridge}v"
    # The daemons leave their (empty) parent cgroups; remove them in every hierarchy.
    remove_cgroup_parents "berth-bench-$$" "baseline-bench-$$" "docker-bench-$$" "vfs-bench-$$"
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-bench-$$" --bridge "$berth_bridge" --bip "$berth_bip" \
    >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" load >/dev/null

case $network in
    default) engines=(berth) ;;
    none) engines=(berth-nonet) ;;
    both) engines=(berth berth-nonet) ;;
esac
if [ -n "$baseline" ]; then
    echo "starting the baseline berthd from $baseline ($(git -C "$baseline" rev-parse --short HEAD 2>/dev/null))..." >&2
    baseline_net=()
    if grep -q -- '"--bip"' "$baseline/deploy/src/main/java/dev/berth/deploy/DaemonFlags.java"; then
        baseline_net=(--bridge "${berth_bridge}b" --bip "$(free_bip "$berth_bip")")
    fi
    "$baseline/deploy/bin/berthd" -H "unix://$work/baseline.sock" --data-root "$work/baseline-data" \
        --exec-root "$work/baseline-exec" --pidfile "$work/baseline.pid" --cgroup-parent "/baseline-bench-$$" \
        "${baseline_net[@]+"${baseline_net[@]}"}" \
        >"$work/baseline.log" 2>&1 &
    baseline_pid=$!
    wait_for "$work/baseline.sock" "$work/baseline.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/baseline.sock" "$docker_cli" load >/dev/null
    engines+=(baseline)
    [ "$network" = both ] && engines+=(baseline-nonet)
fi
if [ -n "$vfs" ]; then
    echo "starting a berthd on the vfs storage driver..." >&2
    "$repo/deploy/bin/berthd" -H "unix://$work/vfs.sock" --data-root "$work/vfs-data" --exec-root "$work/vfs-exec" \
        --pidfile "$work/vfs.pid" --cgroup-parent "/vfs-bench-$$" --bridge "${berth_bridge}v" \
        --bip "$(free_bip "$berth_bip")" --storage-driver vfs >"$work/vfs.log" 2>&1 &
    vfs_pid=$!
    wait_for "$work/vfs.sock" "$work/vfs.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/vfs.sock" "$docker_cli" load >/dev/null
    engines+=(berth-vfs)
fi
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    ip link add "$bridge" type bridge
    ip addr add 172.31.254.1/24 dev "$bridge"
    ip link set "$bridge" up
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge "$bridge" --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-bench-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
    engines+=(dockerd dockerd-nonet)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

run_once() {
    local engine=$1 sock args=()
    case $engine in
        berth) sock=$work/berth.sock ;;
        berth-nonet) sock=$work/berth.sock; args=(--network none) ;;
        baseline) sock=$work/baseline.sock ;;
        berth-vfs) sock=$work/vfs.sock ;;
        baseline-nonet) sock=$work/baseline.sock; args=(--network none) ;;
        dockerd) sock=$work/docker.sock ;;
        dockerd-nonet) sock=$work/docker.sock; args=(--network none) ;;
    esac
    local start end
    start=$(date +%s%N)
    if ! DOCKER_HOST=unix://$sock "$docker_cli" run --rm "${args[@]}" busybox true >/dev/null 2>"$work/$engine.err"; then
        # A failed start is counted, not timed, and the run goes on: the baseline may be a build
        # whose starts fail now and then.
        echo fail
        return
    fi
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
}

echo "warming up ($warmup runs each)..." >&2
for _ in $(seq "$warmup"); do
    for engine in "${engines[@]}"; do run_once "$engine" >/dev/null; done
done
echo "measuring ($runs runs each, interleaved)..." >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$runs"); do
    for engine in "${engines[@]}"; do
        sample=$(run_once "$engine")
        if [ "$sample" = fail ]; then
            echo "$engine: a run failed: $(grep -m1 -i error "$work/$engine.err")" >&2
            echo fail >>"$work/$engine.failed"
        else
            echo "$sample" >>"$work/$engine.us"
        fi
    done
done

stats() {
    sort -n "$1" | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int((NR+1)/2)]/1000, a[int(NR*0.9)]/1000, a[1]/1000}'
}
echo "load average: $load_before at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf "%-16s %10s %10s %10s %8s\n" "engine" "median ms" "p90 ms" "min ms" "failed"
for engine in "${engines[@]}"; do
    read -r median p90 min <<<"$(stats "$work/$engine.us")"
    failed=0
    [ -f "$work/$engine.failed" ] && failed=$(wc -l <"$work/$engine.failed")
    printf "%-16s %10s %10s %10s %8s\n" "$engine" "$median" "$p90" "$min" "$failed"
    eval "median_${engine//-/_}=$median"
done
: "${median_berth:=${median_berth_nonet:-0}}"
if [ "$network" = both ]; then
    awk -v b="$median_berth" -v n="$median_berth_nonet" \
        'BEGIN {printf "default bridge - --network none (median): %+.1f ms\n", b - n}'
    if [ -n "$baseline_pid" ]; then
        awk -v b="$median_baseline" -v n="$median_baseline_nonet" \
            'BEGIN {printf "baseline: default bridge - --network none (median): %+.1f ms\n", b - n}'
    fi
fi
if [ -n "$baseline_pid" ]; then
    awk -v b="$median_berth" -v o="$median_baseline" 'BEGIN {printf "baseline / berth (median): %.2fx\n", o / b}'
fi

# The network worker's own part, from the durations berthd logs for each job: sandbox.create on
# the start path and sandbox.remove on the exit path, in a block of runs per mode after the
# measurement (on a loaded machine the whole run's median varies by more than these jobs take).
network_jobs() {
    local engine=$1 sock=$2 log=$3 args=() lines
    [ "$engine" = none ] && args=(--network none)
    lines=$(wc -l <"$log")
    for _ in $(seq "$runs"); do
        DOCKER_HOST=unix://$sock "$docker_cli" run --rm "${args[@]+"${args[@]}"}" busybox true >/dev/null 2>&1 || true
    done
    for job in create remove; do
        tail -n +"$((lines + 1))" "$log" | awk -v job="network.sandbox.$job" '$0 ~ " " job " " && / ok [0-9]+us$/ {sub(/us$/, "", $NF); print $NF}' \
            | sort -n | awk -v what="$engine sandbox.$job" '{a[NR] = $1} END {if (NR) printf "  %-26s median %7.2f ms  p90 %7.2f ms  (%d jobs)\n", what, a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9)] / 1000, NR}'
    done
}
if [ "$network" = both ]; then
    echo "network jobs ($runs runs per mode, after the measurement):"
    for mode in bridge none; do
        network_jobs "$mode" "$work/berth.sock" "$work/berthd.log" | sed 's/^  /  berth /'
        [ -n "$baseline_pid" ] && network_jobs "$mode" "$work/baseline.sock" "$work/baseline.log" | sed 's/^  /  baseline /'
    done
fi
if [ -n "$dockerd_pid" ]; then
    awk -v b="$median_berth" -v d="$median_dockerd" -v n="$median_dockerd_nonet" \
        'BEGIN {printf "dockerd / berth (median): %.2fx with its bridge, %.2fx with --network none\n", d / b, n / b}'
fi
