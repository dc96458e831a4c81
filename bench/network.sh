#!/usr/bin/env bash
# Network cost, with the real docker CLI, against a private berthd and — when a dockerd binary is
# installed — a private dockerd (its own roots, socket, bridge and subnet, with its iptables rules
# and docker-proxy as shipped) in the same interleaved run:
#
#  1. the median of `docker run --rm busybox true` with --network none, on the default bridge,
#     and on the bridge with -p 0:80; printed as the bridge's cost over none and the published
#     port's cost over the bridge (issue 7's goals: at most +15 ms and +25 ms more);
#  2. request latency and throughput through a published port to a busybox httpd, with wrk
#     (Debian's), to 127.0.0.1:<port> and to the host's address:<port>. Berth DNATs both to the
#     container; dockerd answers 127.0.0.1 with docker-proxy and the host's address with DNAT.
#     busybox httpd closes each connection, so every request is a new connection through the NAT
#     (or the proxy) and a fork in httpd.
#
# The load average is printed with the figures: they are only comparable within one run.
#
# Usage: bench/network.sh [-n RUNS] [-w WARMUP] [-r WRK_ROUNDS] [-d WRK_SECONDS] [-c WRK_CONNECTIONS]
#        (defaults: 20 runs, 5 warm-up runs, 3 wrk rounds of 5 s with 8 connections per target)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots, bridges and rules removed.
# When DOCKER chains exist already (a dockerd of the host), the private dockerd runs without
# iptables, so that cleaning up never touches another daemon's rules; the report says so.
set -euo pipefail

runs=20
warmup=5
rounds=3
seconds=5
connections=8
while getopts "n:w:r:d:c:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warmup=$OPTARG ;;
        r) rounds=$OPTARG ;;
        d) seconds=$OPTARG ;;
        c) connections=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [-w WARMUP] [-r WRK_ROUNDS] [-d WRK_SECONDS] [-c WRK_CONNECTIONS]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-netbench.XXXXXX)
. "$repo/bench/lib.sh"
berthd_pid=""
dockerd_pid=""
dockerd_iptables=true
berth_bridge=bn$$
docker_bridge=dn$$
berth_bip=$(free_bip)
docker_bip=$(free_bip "$berth_bip")

# The address of the interface of the default route (eth0's), not a bridge's.
host_address=$(ip -4 -o addr show dev "$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1); exit}')" \
    | awk '{split($4, a, "/"); print a[1]; exit}')

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $dockerd_pid
    remove_berth_bridge "$berth_bridge"
    # dockerd leaves its chains when it stops; they are ours alone (none existed at the start).
    if [ -n "$dockerd_pid" ] && [ "$dockerd_iptables" = true ]; then
        iptables-save | awk '/^\*/ {t = $0} /^-A (PREROUTING|OUTPUT|POSTROUTING|FORWARD) / && /DOCKER|'"$docker_bridge"'/ {sub(/^-A/, "-D"); print t; print; print "COMMIT"}' \
            | iptables-restore --noflush
        for table in nat filter; do
            for chain in $(iptables-save -t "$table" | awk -F'[: ]' '/^:DOCKER/ {print $2}'); do
                printf '*%s\n-F %s\nCOMMIT\n' "$table" "$chain" | iptables-restore --noflush
            done
            for chain in $(iptables-save -t "$table" | awk -F'[: ]' '/^:DOCKER/ {print $2}'); do
                printf '*%s\n-X %s\nCOMMIT\n' "$table" "$chain" | iptables-restore --noflush
            done
        done
    fi
    for br in "$berth_bridge" "$docker_bridge"; do
        ip link show "$br" >/dev/null 2>&1 && ip link delete "$br"
    done
    remove_cgroup_parents "berth-netbench-$$" "docker-netbench-$$"
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-netbench-$$" --bridge "$berth_bridge" --bip "$berth_bip" \
    >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" load >/dev/null
daemons=(berth)

if command -v dockerd >/dev/null 2>&1; then
    if iptables-save | grep -q '^:DOCKER'; then
        dockerd_iptables=false
        echo "DOCKER chains exist already: the private dockerd runs with --iptables=false (docker-proxy only)" >&2
    fi
    echo "starting a private dockerd ($(dockerd --version), iptables $dockerd_iptables)..." >&2
    ip link add "$docker_bridge" type bridge
    ip addr add "$docker_bip" dev "$docker_bridge"
    ip link set "$docker_bridge" up
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge "$docker_bridge" --iptables="$dockerd_iptables" \
        --cgroup-parent "/docker-netbench-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
    daemons+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

sock_of() {
    case $1 in
        berth) echo "$work/berth.sock" ;;
        dockerd) echo "$work/docker.sock" ;;
    esac
}

# --- 1. docker run --rm busybox true: none, bridge, bridge with -p 0:80 ---------------------------
run_once() {
    local daemon=$1 mode=$2 args=()
    case $mode in
        none) args=(--network none) ;;
        bridge) args=() ;;
        publish) args=(-p 0:80) ;;
    esac
    local start end
    start=$(date +%s%N)
    if ! DOCKER_HOST=unix://$(sock_of "$daemon") "$docker_cli" run --rm "${args[@]+"${args[@]}"}" busybox true \
        >/dev/null 2>"$work/$daemon-$mode.err"; then
        echo fail
        return
    fi
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
}

modes=(none bridge publish)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warming up ($warmup runs each)..." >&2
for _ in $(seq "$warmup"); do
    for daemon in "${daemons[@]}"; do for mode in "${modes[@]}"; do run_once "$daemon" "$mode" >/dev/null; done; done
done
echo "measuring docker run ($runs runs each, interleaved)..." >&2
for _ in $(seq "$runs"); do
    for daemon in "${daemons[@]}"; do
        for mode in "${modes[@]}"; do
            sample=$(run_once "$daemon" "$mode")
            if [ "$sample" = fail ]; then
                echo "$daemon $mode: a run failed: $(grep -m1 -i error "$work/$daemon-$mode.err")" >&2
                echo fail >>"$work/$daemon-$mode.failed"
            else
                echo "$sample" >>"$work/$daemon-$mode.us"
            fi
        done
    done
done

median_ms() {
    sort -n "$1" | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)] / 1000}'
}
echo
echo "docker run --rm busybox true (median of $runs, ms)"
printf "%-8s %10s %10s %10s %14s %14s %7s\n" daemon none bridge "-p 0:80" "bridge-none" "-p - bridge" failed
for daemon in "${daemons[@]}"; do
    none=$(median_ms "$work/$daemon-none.us")
    bridge=$(median_ms "$work/$daemon-bridge.us")
    publish=$(median_ms "$work/$daemon-publish.us")
    failed=$( (cat "$work/$daemon"-*.failed 2>/dev/null || true) | wc -l)
    awk -v d="$daemon" -v n="$none" -v b="$bridge" -v p="$publish" -v f="$failed" \
        'BEGIN {printf "%-8s %10.1f %10.1f %10.1f %+14.1f %+14.1f %7d\n", d, n, b, p, b - n, p - b, f}'
    eval "run_${daemon}=$publish"
done
[ -n "$dockerd_pid" ] && awk -v b="$run_berth" -v d="$run_dockerd" 'BEGIN {printf "dockerd / berth with -p (median): %.2fx\n", d / b}'
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 2. requests through a published port -----------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing (apt-get install wrk): no request figures"
    exit 0
fi
for daemon in "${daemons[@]}"; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
    DOCKER_HOST=unix://$(sock_of "$daemon") "$docker_cli" run -d --name "netbench-httpd" -p "$port:80" busybox sh -c \
        'mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/" >/dev/null && break
        sleep 0.1
    done
    curl -sf "http://$host_address:$port/" | grep -q hello-from-httpd \
        || { echo "$daemon: httpd does not answer on $host_address:$port" >&2; exit 1; }
    eval "port_${daemon}=$port"
done

# wrk's 50th percentile in ms, and its requests per second.
wrk_once() {
    local url=$1 out
    out=$(wrk -t 1 -c "$connections" -d "${seconds}s" --latency "$url")
    echo "$out" | awk '
        $1 == "50%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v)
                     p50 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v}
        $1 == "Requests/sec:" {rps = $2}
        /Socket errors|Non-2xx/ {errors = errors $0 ";"}
        END {printf "%.3f %.0f %s\n", p50, rps, (errors == "" ? "-" : errors)}'
}

echo "measuring requests ($rounds rounds of ${seconds}s, $connections connections, interleaved)..." >&2
targets=(loopback host)
for _ in $(seq "$rounds"); do
    for target in "${targets[@]}"; do
        for daemon in "${daemons[@]}"; do
            eval "port=\$port_${daemon}"
            case $target in
                loopback) address=127.0.0.1 ;;
                host) address=$host_address ;;
            esac
            read -r p50 rps errors <<<"$(wrk_once "http://$address:$port/")"
            echo "$p50" >>"$work/wrk-$daemon-$target.p50"
            echo "$rps" >>"$work/wrk-$daemon-$target.rps"
            [ "$errors" != - ] && echo "$daemon $target: wrk: $errors" >&2
        done
    done
done
median() {
    sort -n "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
echo
echo "requests to busybox httpd through a published port (median of $rounds wrk rounds)"
printf "%-8s %-22s %-12s %12s %10s\n" daemon target path "p50 ms" "req/s"
for target in "${targets[@]}"; do
    for daemon in "${daemons[@]}"; do
        case $daemon-$target in
            berth-*) path=DNAT ;;
            dockerd-loopback) path=docker-proxy ;;
            dockerd-host) path=$([ "$dockerd_iptables" = true ] && echo DNAT || echo docker-proxy) ;;
        esac
        case $target in
            loopback) address=127.0.0.1 ;;
            host) address=$host_address ;;
        esac
        p50=$(median "$work/wrk-$daemon-$target.p50")
        rps=$(median "$work/wrk-$daemon-$target.rps")
        printf "%-8s %-22s %-12s %12s %10s\n" "$daemon" "$address" "$path" "$p50" "$rps"
        eval "p50_${daemon}_${target}=$p50 rps_${daemon}_${target}=$rps"
    done
    if [ -n "$dockerd_pid" ]; then
        bl=p50_berth_$target dl=p50_dockerd_$target br=rps_berth_$target dr=rps_dockerd_$target
        awk -v t="$target" -v bl="${!bl}" -v dl="${!dl}" -v br="${!br}" -v dr="${!dr}" \
            'BEGIN {printf "  %s: dockerd / berth p50 latency %.2fx, berth / dockerd req/s %.2fx\n", t, dl / bl, br / dr}'
    fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
