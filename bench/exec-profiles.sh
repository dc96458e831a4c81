#!/usr/bin/env bash
# `runc exec <ctr> true` alone (no daemon on the path), N interleaved runs, into four busybox
# containers: one of a private dockerd (its OCI config, its seccomp profile) and three of a private
# berthd: with Berth's default profile (containers-common's), with the profile dockerd put in its
# container's config.json, and with seccomp=unconfined. It separates what the seccomp profile
# costs runc on every exec (runc compiles the filter each time) from the rest of the exec path.
# Needs dockerd installed. Leaves nothing behind: daemons stopped by PID, roots and bridge removed.
# Usage: bench/exec-profiles.sh [-n RUNS] (default 30)
set -uo pipefail
runs=30
while getopts "n:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS]" >&2; exit 2 ;;
    esac
done
command -v dockerd >/dev/null 2>&1 || { echo "needs dockerd (apt-get install docker.io)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-execprofiles.XXXXXX)
. "$repo/bench/lib.sh"
berthd_pid=""; dockerd_pid=""
bridge=xp$$
bip=$(free_bip)
cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $dockerd_pid
    remove_cgroup_parents "berth-execprofiles-$$" "docker-execprofiles-$$"
    remove_berth_bridge "$bridge"
    rm -rf "$work"
}
trap cleanup EXIT
dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
    --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
    --cgroup-parent "/docker-execprofiles-$$" >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_for "$work/docker.sock" "$work/dockerd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
did=$(DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" run -d --network none busybox sleep 100000)
dconfig=$(find "$work/docker-exec" -path "*$did*" -name config.json | head -1)
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["linux"]["seccomp"], open(sys.argv[2],"w"))' "$dconfig" "$work/docker-profile.json"
dstate=$(find "$work/docker-exec" /run/containerd -path "*$did*" -name state.json 2>/dev/null | head -1)
droot=$(dirname "$(dirname "$dstate")")
echo "dockerd's runc root: $droot" >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" --bridge "$bridge" --bip "$bip" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-execprofiles-$$" >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
export DOCKER_HOST="unix://$work/berth.sock"
"$repo/deploy/bin/mkimage" busybox | "$docker_cli" load >/dev/null
bdef=$("$docker_cli" run -d --network none busybox sleep 100000)
bdoc=$("$docker_cli" run -d --network none --security-opt "seccomp=$work/docker-profile.json" busybox sleep 100000)
bnone=$("$docker_cli" run -d --network none --security-opt seccomp=unconfined busybox sleep 100000)
broot=$work/berth-exec/runc
run() { local s e; s=$(date +%s%N); runc --root "$1" exec "$2" true; e=$(date +%s%N); echo "$3 $(( (e - s) / 1000 ))" >> "$work/t"; }
for i in $(seq 5); do run "$droot" "$did" w; run "$broot" "$bdef" w; done
for i in $(seq "$runs"); do
    run "$droot" "$did" dockerd-ctr
    run "$broot" "$bdef" berth-default
    run "$broot" "$bdoc" berth-dockerprofile
    run "$broot" "$bnone" berth-unconfined
done
for k in dockerd-ctr berth-default berth-dockerprofile berth-unconfined; do
    grep "^$k " "$work/t" | awk '{print $2/1000}' | sort -n | awk -v k=$k '{a[NR]=$1} END {printf "%-20s median %.1f ms  min %.1f ms\n", k, a[int((NR+1)/2)], a[1]}'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
