#!/usr/bin/env bash
# docker build through the classic builder: a six-step build (FROM, COPY of ~1 MiB in 50 files,
# RUN, ENV, WORKDIR, CMD) timed cold (--no-cache: every step runs) and cached (nothing changed:
# every step comes from the cache), with the real docker CLI, against a private berthd and —
# when a dockerd binary is installed — a private dockerd started on roots and a bridge of its own
# in the same run, interleaved. Prints median and min of each, and the ratios.
#
# Usage: bench/build.sh [-n RUNS]   (default 10 runs of each kind)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots and bridges removed.
set -euo pipefail

runs=10
while getopts "n:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-bench-build.XXXXXX)
. "$repo/bench/lib.sh"
berthd_pid=""
dockerd_pid=""
bridge=bbuild$$
berth_bridge=bbb$$
cleanup() {
    set +e
    stop_daemons $berthd_pid $dockerd_pid
    ip link show "$bridge" >/dev/null 2>&1 && ip link delete "$bridge"
    remove_berth_bridge "$berth_bridge"
    remove_cgroup_parents "berth-build-$$" "docker-build-$$"
    rm -rf "$work"
}
trap cleanup EXIT

context=$work/context
mkdir -p "$context/payload"
for i in $(seq 50); do head -c 20480 /dev/urandom >"$context/payload/file-$i"; done
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM busybox
COPY payload /payload
RUN cp -r /payload /copy && ls /copy | wc -l > /count
ENV BENCH=yes
WORKDIR /copy
CMD ["cat", "/count"]
DOCKERFILE

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-build-$$" --bridge "$berth_bridge" --bip "$(free_bip)" \
    >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" load >/dev/null
engines=(berth)
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    ip link add "$bridge" type bridge
    ip addr add 172.31.252.1/24 dev "$bridge"
    ip link set "$bridge" up
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge "$bridge" --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-build-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
    engines+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

# Prints the build's wall time in microseconds; a failed build stops the bench with its output.
build_once() {
    local engine=$1 kind=$2 sock flags=()
    case $engine in
        berth) sock=$work/berth.sock ;;
        dockerd) sock=$work/docker.sock ;;
    esac
    [ "$kind" = cold ] && flags=(--no-cache)
    local start end
    start=$(date +%s%N)
    if ! DOCKER_BUILDKIT=0 DOCKER_HOST=unix://$sock "$docker_cli" build "${flags[@]+"${flags[@]}"}" -t bench-build \
        "$context" >"$work/$engine.out" 2>&1; then
        echo "$engine: $kind build failed:" >&2
        tail -20 "$work/$engine.out" >&2
        exit 1
    fi
    end=$(date +%s%N)
    if [ "$kind" = cached ] && ! grep -q "Using cache" "$work/$engine.out"; then
        echo "$engine: a cached build used no cache:" >&2
        cat "$work/$engine.out" >&2
        exit 1
    fi
    echo $(( (end - start) / 1000 ))
}

echo "warming up..." >&2
for engine in "${engines[@]}"; do
    build_once "$engine" cold >/dev/null
    build_once "$engine" cached >/dev/null
done
echo "measuring ($runs builds of each kind, interleaved)..." >&2
for _ in $(seq "$runs"); do
    for engine in "${engines[@]}"; do
        for kind in cold cached; do
            build_once "$engine" "$kind" >>"$work/$engine-$kind.us"
        done
    done
done

stats() {
    sort -n "$1" | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]/1000, a[1]/1000}'
}
printf "%-10s %-8s %10s %10s\n" "engine" "build" "median ms" "min ms"
for engine in "${engines[@]}"; do
    for kind in cold cached; do
        read -r median min <<<"$(stats "$work/$engine-$kind.us")"
        printf "%-10s %-8s %10s %10s\n" "$engine" "$kind" "$median" "$min"
        eval "median_${engine}_${kind}=$median"
    done
done
if [ -n "$dockerd_pid" ]; then
    awk -v bc="$median_berth_cold" -v dc="$median_dockerd_cold" -v bw="$median_berth_cached" -v dw="$median_dockerd_cached" \
        'BEGIN {printf "dockerd / berth (median): %.2fx cold, %.2fx cached\n", dc / bc, dw / bw}'
fi
