#!/usr/bin/env bash
# Log throughput and latency with the real docker CLI, against a private berthd and — when a
# dockerd binary is installed — a private dockerd (own roots, --bridge=none, no iptables) in the
# same run:
#   - `docker logs` of a container that wrote 100 MiB (best of 3 reads), in MiB/s;
#   - `docker run` in the foreground of a container writing 100 MiB to stdout, in MiB/s
#     (container start included: about 0.1–0.3 s of the total);
#   - latency from a line written to a container (through its stdin: `cat` echoes it) to its
#     arrival at a `docker logs -f` client, median and p99 over N lines.
#
# Usage: bench/logs-throughput.sh [-n LINES] (default 300)
# Needs root. Leaves nothing behind: daemons are stopped by PID, roots removed.
set -euo pipefail

lines=300
while getopts "n:" opt; do
    case $opt in
        n) lines=$OPTARG ;;
        *) echo "usage: $0 [-n LINES]" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
docker_cli=${DOCKER_CLI:-/usr/local/bin/docker}
work=$(mktemp -d /tmp/berth-logbench.XXXXXX)
berthd_pid=""
dockerd_pid=""
mib=100
# 64-byte lines, as many as make 100 MiB.
writer="yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c $((mib * 1024 * 1024))"

cleanup() {
    set +e
    for sock in "$work/berth.sock" "$work/docker.sock"; do
        if [ -S "$sock" ]; then
            ids=$(DOCKER_HOST=unix://$sock "$docker_cli" ps -aq 2>/dev/null)
            [ -n "$ids" ] && DOCKER_HOST=unix://$sock "$docker_cli" rm -f $ids >/dev/null 2>&1
        fi
    done
    for pid in $berthd_pid $dockerd_pid; do
        kill "$pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    grep -o " $work[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    for parent in "berth-logbench-$$" "docker-logbench-$$"; do
        find /sys/fs/cgroup -maxdepth 3 -depth -type d -name "$parent" -exec rmdir {} \; 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
    local sock=$1 log=$2
    for _ in $(seq 600); do
        DOCKER_HOST=unix://$sock "$docker_cli" version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "daemon on $sock did not come up; its log:" >&2
    tail -20 "$log" >&2
    exit 1
}

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
    --pidfile "$work/berthd.pid" --cgroup-parent "/berth-logbench-$$" >"$work/berthd.log" 2>&1 &
berthd_pid=$!
wait_for "$work/berth.sock" "$work/berthd.log"
"$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/berth.sock" "$docker_cli" load >/dev/null
engines=(berth)
if command -v dockerd >/dev/null 2>&1; then
    echo "starting a private dockerd ($(dockerd --version))..." >&2
    dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
        --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
        --cgroup-parent "/docker-logbench-$$" >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    wait_for "$work/docker.sock" "$work/dockerd.log"
    "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$work/docker.sock" "$docker_cli" load >/dev/null
    engines+=(dockerd)
else
    echo "no dockerd on this machine: measuring berthd alone" >&2
fi

sock_of() { [ "$1" = berth ] && echo "$work/berth.sock" || echo "$work/docker.sock"; }

seconds() { # runs "$@", prints its wall time in seconds
    local start end
    start=$(date +%s%N)
    "$@"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN {printf "%.3f", ns / 1e9}'
}

logs_read() {
    DOCKER_HOST=unix://$1 "$docker_cli" logs lt-written >/dev/null
}

run_foreground() {
    DOCKER_HOST=unix://$1 "$docker_cli" run --rm --network none busybox sh -c "$writer" >"$work/foreground.out"
}

# Latency of lines through `cat`: Python writes each line to `docker run -i`'s stdin and reads it
# back from `docker logs -f`; one line in flight at a time, 10 ms apart.
latency() {
    local sock=$1
    DOCKER_HOST=unix://$sock python3 - "$docker_cli" "$lines" <<'PY'
import os, subprocess, sys, time
cli, count = sys.argv[1], int(sys.argv[2])
run = subprocess.Popen([cli, "run", "-i", "--rm", "--network", "none", "--name", "lt-latency", "busybox", "cat"],
                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
for _ in range(200):
    if subprocess.run([cli, "inspect", "-f", "{{.State.Running}}", "lt-latency"], capture_output=True, text=True).stdout.strip() == "true":
        break
    time.sleep(0.05)
logs = subprocess.Popen([cli, "logs", "-f", "--tail", "0", "lt-latency"], stdout=subprocess.PIPE)
time.sleep(0.5)
samples = []
for i in range(count + 20):
    start = time.monotonic_ns()
    run.stdin.write(f"{i}\n".encode()); run.stdin.flush()
    line = logs.stdout.readline()
    took = time.monotonic_ns() - start
    if line.strip() != str(i).encode():
        sys.exit(f"expected line {i}, got {line!r}")
    if i >= 20:
        samples.append(took / 1e6)
    time.sleep(0.01)
run.stdin.close(); run.wait(30); logs.wait(30)
samples.sort()
print(f"{samples[len(samples) // 2]:.2f} {samples[min(len(samples) - 1, int(len(samples) * 0.99))]:.2f}")
PY
}

for engine in "${engines[@]}"; do
    sock=$(sock_of "$engine")
    echo "$engine: writing $mib MiB into a log..." >&2
    DOCKER_HOST=unix://$sock "$docker_cli" run -d --network none --name lt-written busybox sh -c "$writer" >/dev/null
    DOCKER_HOST=unix://$sock "$docker_cli" wait lt-written >/dev/null
    size=$(DOCKER_HOST=unix://$sock "$docker_cli" logs lt-written | wc -c)
    [ "$size" -eq $((mib * 1024 * 1024)) ] || { echo "$engine: docker logs gave $size bytes, not $mib MiB" >&2; exit 1; }
    best=""
    for _ in 1 2 3; do
        t=$(seconds logs_read "$sock")
        best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN {print (a < b) ? a : b}')
    done
    echo "$engine: docker run in the foreground..." >&2
    fg=$(seconds run_foreground "$sock")
    fg_size=$(wc -c <"$work/foreground.out")
    [ "$fg_size" -eq $((mib * 1024 * 1024)) ] || { echo "$engine: docker run gave $fg_size bytes" >&2; exit 1; }
    echo "$engine: latency over $lines lines..." >&2
    read -r lat_median lat_p99 <<<"$(latency "$sock")"
    DOCKER_HOST=unix://$sock "$docker_cli" rm -f lt-written >/dev/null
    awk -v e="$engine" -v m="$mib" -v l="$best" -v f="$fg" -v lm="$lat_median" -v lp="$lat_p99" \
        'BEGIN {printf "%s %.1f %.1f %s %s\n", e, m / l, m / f, lm, lp}' >>"$work/results"
done

printf "%-10s %18s %22s %18s %16s\n" "engine" "logs MiB/s" "run (foreground) MiB/s" "logs -f median ms" "logs -f p99 ms"
while read -r engine logs fg lm lp; do
    printf "%-10s %18s %22s %18s %16s\n" "$engine" "$logs" "$fg" "$lm" "$lp"
done <"$work/results"
if [ "${#engines[@]}" -gt 1 ]; then
    awk '{l[$1]=$2; f[$1]=$3} END {printf "berth / dockerd: docker logs %.1fx, docker run %.1fx\n", l["berth"] / l["dockerd"], f["berth"] / f["dockerd"]}' "$work/results"
fi
