#!/usr/bin/env bash
# Log throughput and latency with the real docker CLI, against a private berthd and — when a
# dockerd binary is installed — a private dockerd (own roots, --bridge=none, no iptables) in the
# same run:
#   - `docker logs` of a container that wrote 100 MiB (best of 3 reads), in MiB/s;
#   - `docker run` in the foreground of a container writing 100 MiB to stdout, in MiB/s
#     (container start included: about 0.1–0.3 s of the total): best of 3 runs, as for the
#     reads, and the first run alone (berthd's JIT compiles this path during it);
#   - for berth, the ceiling of that path without Berth in it: conmon's attach socket read by a
#     minimal reader (which waits for packets as berthd does) while the container writes 100 MiB
#     (conmon writes its log meanwhile, as in a foreground run), from the first packet to the end;
#   - latency from a line written to a container (through its stdin: `cat` echoes it) to its
#     arrival at a `docker logs -f` client and, for berth, at a client of its log WebSocket
#     (/berth/containers/{id}/logs/ws), median and p99 over N lines.
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
. "$repo/bench/lib.sh"
berth_bridge=bt$$
berth_bip=$(free_bip)
berthd_pid=""
dockerd_pid=""
mib=100
ws_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# 64-byte lines, as many as make 100 MiB.
writer="yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c $((mib * 1024 * 1024))"

cleanup() {
    set +e
    remove_containers "$work/berth.sock" "$work/docker.sock"
    stop_daemons $berthd_pid $dockerd_pid
    remove_cgroup_parents "berth-logbench-$$" "docker-logbench-$$"
    remove_berth_bridge "$berth_bridge"
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting berthd..." >&2
"$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" -H "tcp://127.0.0.1:$ws_port" --data-root "$work/berth-data" --exec-root "$work/berth-exec" --bridge "$berth_bridge" --bip "$berth_bip" \
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

# conmon alone: a detached container that waits a moment, then writes; Python reads its attach
# socket (SOCK_SEQPACKET; reached through its directory, whose path is too long for sun_path).
conmon_ceiling() {
    local sock=$1 id dir
    DOCKER_HOST=unix://$sock "$docker_cli" run -d --network none --name lt-conmon busybox sh -c "sleep 2; $writer" >/dev/null
    id=$(DOCKER_HOST=unix://$sock "$docker_cli" inspect -f '{{.Id}}' lt-conmon)
    dir=$(dirname "$(find "$work/berth-exec" -type s -name attach -path "*$id*" | head -1)")
    python3 - "$dir" <<'PY'
import os, socket, sys, time
os.chdir(sys.argv[1])
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect("attach")
total, first, full = 0, None, False
# Reads as berthd does: after a packet that filled conmon's 8 KiB buffer, a millisecond's pause
# lets the next ones queue (one wake-up per packet cost conmon as much as the reader).
while True:
    try:
        packet = s.recv(65536, socket.MSG_DONTWAIT if full else 0)
    except BlockingIOError:
        time.sleep(0.001)
        full = False
        continue
    if not packet:
        break
    if first is None:
        first = time.monotonic()
    total += len(packet) - 1
    full = len(packet) == 8193
print(f"{total / 1048576 / (time.monotonic() - first):.1f}")
PY
    DOCKER_HOST=unix://$sock "$docker_cli" rm -f lt-conmon >/dev/null
}

# Latency of lines through `cat`: Python writes each line to `docker run -i`'s stdin and reads it
# back from `docker logs -f`; one line in flight at a time, 10 ms apart.
latency() {
    local sock=$1 ws=$2
    DOCKER_HOST=unix://$sock python3 - "$docker_cli" "$lines" "$ws" <<'PY'
import base64, json, os, socket, struct, subprocess, sys, threading, time
cli, count, ws_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = subprocess.Popen([cli, "run", "-i", "--rm", "--network", "none", "--name", "lt-latency", "busybox", "cat"],
                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
for _ in range(200):
    if subprocess.run([cli, "inspect", "-f", "{{.State.Running}}", "lt-latency"], capture_output=True, text=True).stdout.strip() == "true":
        break
    time.sleep(0.05)
total = count + 20
arrived = {"logs": [None] * total, "ws": [None] * total}
done = {"logs": [threading.Event() for _ in range(total)], "ws": [threading.Event() for _ in range(total)]}

def seen(kind, text):
    i = int(text)
    arrived[kind][i] = time.monotonic_ns()
    done[kind][i].set()

logs = subprocess.Popen([cli, "logs", "-f", "--tail", "0", "lt-latency"], stdout=subprocess.PIPE)
def read_logs():
    for line in logs.stdout:
        seen("logs", line.decode().strip())
threading.Thread(target=read_logs, daemon=True).start()

def read_ws(sock):
    buf = b""
    def need(n):
        nonlocal buf
        while len(buf) < n:
            data = sock.recv(65536)
            if not data:
                raise EOFError
            buf += data
        out, buf = buf[:n], buf[n:]
        return out
    try:
        while True:
            head = need(2)
            length = head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", need(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", need(8))[0]
            payload = need(length)
            if head[0] & 0x0F == 1:
                seen("ws", json.loads(payload)["line"])
    except EOFError:
        pass

use_ws = ws_port > 0
if use_ws:
    ws = socket.create_connection(("127.0.0.1", ws_port))
    key = base64.b64encode(os.urandom(16)).decode()
    ws.sendall((f"GET /berth/containers/lt-latency/logs/ws?tail=0&timestamps=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += ws.recv(1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        sys.exit(f"no WebSocket: {head!r}")
    threading.Thread(target=read_ws, args=(ws,), daemon=True).start()
time.sleep(0.5)
samples = {"logs": [], "ws": []}
for i in range(total):
    start = time.monotonic_ns()
    run.stdin.write(f"{i}\n".encode()); run.stdin.flush()
    for kind in (["logs", "ws"] if use_ws else ["logs"]):
        if not done[kind][i].wait(10):
            sys.exit(f"line {i} did not reach the {kind} client")
        if i >= 20:
            samples[kind].append((arrived[kind][i] - start) / 1e6)
    time.sleep(0.01)
run.stdin.close(); run.wait(30); logs.wait(30)
def stats(values):
    if not values:
        return "- -"
    values.sort()
    return f"{values[len(values) // 2]:.2f} {values[min(len(values) - 1, int(len(values) * 0.99))]:.2f}"
print(stats(samples["logs"]), stats(samples["ws"]))
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
    fg=""
    fg_first=""
    for _ in 1 2 3; do
        t=$(seconds run_foreground "$sock")
        fg_size=$(wc -c <"$work/foreground.out")
        [ "$fg_size" -eq $((mib * 1024 * 1024)) ] || { echo "$engine: docker run gave $fg_size bytes" >&2; exit 1; }
        fg_first=${fg_first:-$t}
        fg=$(awk -v a="$t" -v b="${fg:-$t}" 'BEGIN {print (a < b) ? a : b}')
    done
    if [ "$engine" = berth ]; then
        echo "$engine: conmon's attach socket alone..." >&2
        conmon_ceiling "$sock" >"$work/conmon"
    fi
    echo "$engine: latency over $lines lines..." >&2
    ws=0
    [ "$engine" = berth ] && ws=$ws_port
    read -r lat_median lat_p99 ws_median ws_p99 <<<"$(latency "$sock" "$ws")"
    DOCKER_HOST=unix://$sock "$docker_cli" rm -f lt-written >/dev/null
    awk -v e="$engine" -v m="$mib" -v l="$best" -v f="$fg" -v ff="$fg_first" -v lm="$lat_median" -v lp="$lat_p99" -v wm="$ws_median" -v wp="$ws_p99" \
        'BEGIN {printf "%s %.1f %.1f %.1f %s %s %s %s\n", e, m / l, m / f, m / ff, lm, lp, wm, wp}' >>"$work/results"
done

printf "%-10s %12s %14s %14s %16s %14s %16s %14s\n" "engine" "logs MiB/s" "run fg MiB/s" "fg 1st MiB/s" "logs -f med ms" \
    "logs -f p99 ms" "WebSocket med ms" "WebSocket p99"
while read -r engine logs fg ff lm lp wm wp; do
    printf "%-10s %12s %14s %14s %16s %14s %16s %14s\n" "$engine" "$logs" "$fg" "$ff" "$lm" "$lp" "$wm" "$wp"
done <"$work/results"
echo "conmon alone (berth's foreground path without Berth): $(cat "$work/conmon") MiB/s"
if [ "${#engines[@]}" -gt 1 ]; then
    awk '{l[$1]=$2; f[$1]=$3; ff[$1]=$4} END {printf "berth / dockerd: docker logs %.1fx, docker run %.1fx (first runs %.1fx)\n", l["berth"] / l["dockerd"], f["berth"] / f["dockerd"], ff["berth"] / ff["dockerd"]}' "$work/results"
fi
