#!/usr/bin/env bash
# Captures what a real dockerd answers for the API calls whose JSON shapes Berth renders
# (container inspect and list, image inspect and list, network list and inspect, info, version),
# into api-gateway's test fixtures. The contract tests compare Berth's rendering with these; they
# never need dockerd themselves. Needs root and an installed dockerd (Debian's docker.io).
#
# Usage: bench/capture-docker-fixtures.sh [OUTPUT_DIR]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/api-gateway/src/test/resources/dockerd}
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-fixtures.XXXXXX)
bridge=berthfix0
dockerd_pid=""

cleanup() {
    set +e
    if [ -S "$work/docker.sock" ]; then
        ids=$(DOCKER_HOST=unix://$work/docker.sock "$docker_cli" ps -aq 2>/dev/null)
        [ -n "$ids" ] && DOCKER_HOST=unix://$work/docker.sock "$docker_cli" rm -f $ids >/dev/null 2>&1
    fi
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    grep -o " $work[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    ip link show "$bridge" >/dev/null 2>&1 && ip link delete "$bridge"
    find /sys/fs/cgroup -maxdepth 3 -depth -type d -name "docker-fixtures-$$" -exec rmdir {} \; 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

ip link add "$bridge" type bridge
ip addr add 172.31.253.1/24 dev "$bridge"
ip link set "$bridge" up
dockerd -H "unix://$work/docker.sock" --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
    --bridge "$bridge" --iptables=false --ip-masq=false --cgroup-parent "/docker-fixtures-$$" >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
export DOCKER_HOST=unix://$work/docker.sock
for _ in $(seq 600); do "$docker_cli" version >/dev/null 2>&1 && break; sleep 0.1; done
"$repo/deploy/bin/mkimage" busybox | "$docker_cli" load >/dev/null

api() {
    curl -sf --unix-socket "$work/docker.sock" "http://localhost/v1.41$1"
}
mkdir -p "$out"
"$docker_cli" run -d --name fixture-running --label tier=web busybox sleep 300 >/dev/null
"$docker_cli" run --name fixture-exited busybox sh -c 'exit 3' >/dev/null || true
"$docker_cli" create --name fixture-created busybox true >/dev/null
api "/containers/fixture-running/json" >"$out/container-inspect-running.json"
api "/containers/fixture-exited/json" >"$out/container-inspect-exited.json"
api "/containers/fixture-created/json" >"$out/container-inspect-created.json"
api "/containers/json?all=1" >"$out/container-list.json"
api "/images/busybox/json" >"$out/image-inspect.json"
api "/images/json" >"$out/image-list.json"
api "/images/busybox/history" >"$out/image-history.json"
api "/networks" >"$out/network-list.json"
api "/networks/none" >"$out/network-inspect-none.json"
api "/version" >"$out/version.json"
api "/info" >"$out/info.json"
echo "dockerd $(dockerd --version | awk '{print $3}' | tr -d ,) fixtures written to $out" >&2
