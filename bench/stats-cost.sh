#!/usr/bin/env bash
# The CPU cost of `docker stats` on C running containers, with the real docker CLI, for a private
# berthd and — when a dockerd binary is installed — a private dockerd in the same run (its own
# roots, no bridge, no iptables). For each engine: the CPU time its processes spend during S
# seconds of a streaming `docker stats`, minus what they spend during S idle seconds; the
# processes are those whose command line names the engine's private roots (berthd and its
# conmons; dockerd, its containerd and the shims), their waited-for children included. The CLI's
# own CPU is not counted. With -b, a second berthd built from another checkout (say, main before
# a change) runs beside them, as "baseline", so a change is measured against its base under the
# same load. With -r, the engines take turns for R rounds (the load of a shared machine drifts),
# and the ratios are of the CPU summed over the rounds.
#
# Usage: bench/stats-cost.sh [-c CONTAINERS] [-s SECONDS] [-r ROUNDS] [-b BASELINE_CHECKOUT]
#        (defaults: 20 containers, 30 s, 1 round, no baseline)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots and bridge removed.
set -euo pipefail

containers=20
seconds_per_window=30
rounds=1
baseline=""
while getopts "c:s:r:b:" opt; do
    case $opt in
        c) containers=$OPTARG ;;
        s) seconds_per_window=$OPTARG ;;
        r) rounds=$OPTARG ;;
        b) baseline=$(cd "$OPTARG" && pwd) ;;
        *) echo "usage: $0 [-c CONTAINERS] [-s SECONDS] [-r ROUNDS] [-b BASELINE_CHECKOUT]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-stats-bench.XXXXXX)
. "$repo/bench/lib.sh"
berth_bridge=bs$$
berth_bip=$(free_bip)
base_bridge=bb$$
base_bip=""
berthd_pid=""
baseline_pid=""
dockerd_pid=""

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/base.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $baseline_pid $dockerd_pid
    remove_cgroup_parents "berth-statsbench-$$" "base-statsbench-$$" "docker-statsbench-$$"
    remove_berth_bridge "$berth_bridge"
    [ -n "$baseline" ] && remove_berth_bridge "$base_bridge"
    rm -rf "$work"
}
trap cleanup EXIT

# Clock ticks (utime, stime and waited-for children's) of every process whose command line holds $1.
ticks_of() {
    local pattern=$1 total=0 pid fields
    for pid in $(pgrep -f -- "$pattern"); do
        fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
        # after "pid (comm) ": state is field 1, utime 12, stime 13, cutime 14, cstime 15
        total=$((total + $(awk '{print $12 + $13 + $14 + $15}' <<<"$fields")))
    done
    echo "$total"
}

start_containers() {
    local sock=$1
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$sock" "$docker_cli" load >/dev/null
    for i in $(seq "$containers"); do
        DOCKER_HOST="unix://$sock" "$docker_cli" run -d --network none --name "stats-$i" busybox sleep 100000 >/dev/null
    done
}

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
    --bridge "$berth_bridge" --bip "$berth_bip" --pidfile "$work/berthd.pid" --cgroup-parent "/berth-statsbench-$$" \
    >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
start_containers "$work/berth.sock"
engines=(berth)
if [ -n "$baseline" ]; then
    echo "starting the baseline berthd from $baseline ($(git -C "$baseline" log -1 --format=%h 2>/dev/null || echo "not a git checkout"))..." >&2
    base_bip=$(free_bip "$berth_bip")
    "$baseline/deploy/bin/berthd" -H "unix://$work/base.sock" --data-root "$work/base-data" --exec-root "$work/base-exec" \
        --bridge "$base_bridge" --bip "$base_bip" --pidfile "$work/base.pid" --cgroup-parent "/base-statsbench-$$" \
        >"$work/base.log" 2>&1 &
    baseline_pid=$!
    wait_for "$work/base.sock" "$work/base.log"
    start_containers "$work/base.sock"
    engines+=(baseline)
fi
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-statsbench-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    start_containers "$work/docker.sock"
    engines+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

hz=$(getconf CLK_TCK)
printf "%-8s %10s %14s %16s %12s\n" engine containers "idle cpu s" "with stats cpu s" "stats % core"
for round in $(seq "$rounds"); do
for engine in "${engines[@]}"; do
    case $engine in
        berth) sock=$work/berth.sock; pattern="$work/berth-" ;;
        baseline) sock=$work/base.sock; pattern="$work/base-" ;;
        dockerd) sock=$work/docker.sock; pattern="$work/docker-" ;;
    esac
    echo "$engine: idle for ${seconds_per_window}s..." >&2
    before=$(ticks_of "$pattern"); sleep "$seconds_per_window"; idle=$(( $(ticks_of "$pattern") - before ))
    echo "$engine: docker stats for ${seconds_per_window}s..." >&2
    DOCKER_HOST=unix://$sock "$docker_cli" stats >/dev/null 2>&1 &
    stats_pid=$!
    sleep 3 # the CLI's first round of requests, not the steady state
    before=$(ticks_of "$pattern"); sleep "$seconds_per_window"; busy=$(( $(ticks_of "$pattern") - before ))
    kill "$stats_pid" 2>/dev/null; wait "$stats_pid" 2>/dev/null || true
    awk -v e="$engine" -v c="$containers" -v i="$idle" -v b="$busy" -v hz="$hz" -v s="$seconds_per_window" \
        'BEGIN {printf "%-8s %10d %14.2f %16.2f %12.1f\n", e, c, i / hz, b / hz, 100 * (b - i) / hz / s}' | tee -a "$work/results"
done
done
awk '{cost[$1] += $5} END {
    if (cost["dockerd"] > 0) printf "berth / dockerd (CPU of docker stats): %.2f (goal: below 1)\n", cost["berth"] / cost["dockerd"]
    if (cost["baseline"] > 0) printf "berth / baseline: %.2f\n", cost["berth"] / cost["baseline"]
    if (cost["baseline"] > 0 && cost["dockerd"] > 0) printf "baseline / dockerd: %.2f\n", cost["baseline"] / cost["dockerd"]
}' "$work/results"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
