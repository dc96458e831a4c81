# Shared by the bench scripts; sourced after they set repo, docker_cli and work.
# shellcheck shell=bash

# Waits until a daemon answers on its socket; on failure shows the end of its log and exits.
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

# The seconds a command takes, with two decimals; its failure ends the bench with its message.
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>"$work/last.err" || { echo "failed: $*: $(tail -3 "$work/last.err")" >&2; exit 1; }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN {printf "%.2f", ns / 1e9}'
}

# A free 10.x.y.1/24 for a private daemon's bridge: no route of this host in it, and not $1.
free_bip() {
    local candidate
    for _ in $(seq 100); do
        candidate="10.$((100 + RANDOM % 150)).$((RANDOM % 256))"
        if ! ip -4 route show table all | grep -q "^\(local \|broadcast \)\?$candidate\." && [ "$candidate.1/24" != "${1:-}" ]; then
            echo "$candidate.1/24"
            return
        fi
    done
    echo "no free 10.x subnet for berthd's bridge" >&2
    exit 1
}

# busybox from mkimage plus one layer of about $size_mib MiB, as a docker-archive (manifest.json
# only, which every Docker since 1.10 loads) at $work/big.tar, tagged bench/big:1. The layer is
# random bytes (the default: what no compressor shrinks), or with "files" this host's own
# programs, libraries and shared data (/usr/bin, /usr/lib/x86_64-linux-gnu, /usr/share in name
# order until the size is reached): what images hold, which gzip shrinks to about a third.
make_image() {
    local kind=${1:-random} dir=$work/image
    mkdir -p "$dir/big"
    "$repo/deploy/bin/mkimage" busybox >"$work/busybox.tar"
    tar -xf "$work/busybox.tar" -C "$dir"
    if [ "$kind" = files ]; then
        find /usr/bin /usr/lib/x86_64-linux-gnu /usr/share -type f -readable -print0 2>/dev/null | sort -z \
            | xargs -0 stat -L -c '%s %n' 2>/dev/null \
            | awk -v max="$((size_mib * 1024 * 1024))" '{sum += $1} sum <= max {print substr($0, index($0, " ") + 1)}' \
            >"$dir/files.list"
        tar -C / -cf "$dir/big.tar" --no-recursion --verbatim-files-from -T <(sed 's|^/||' "$dir/files.list")
        rm -f "$dir/files.list"
    else
        head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$dir/big/random.bin"
        tar -C "$dir/big" -cf "$dir/big.tar" random.bin
    fi
    local diff config_path new_config
    diff=$(sha256sum "$dir/big.tar" | cut -d' ' -f1)
    mkdir -p "$dir/blobs/sha256"
    mv "$dir/big.tar" "$dir/blobs/sha256/$diff"
    config_path=$(jq -r '.[0].Config' "$dir/manifest.json")
    jq -c --arg d "sha256:$diff" --arg k "$kind" '.rootfs.diff_ids += [$d] | .history += [{"created_by":("bench: " + $k)}]' \
        "$dir/$config_path" >"$dir/config.json"
    new_config=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
    mv "$dir/config.json" "$dir/blobs/sha256/$new_config"
    jq -c --arg c "blobs/sha256/$new_config" --arg l "blobs/sha256/$diff" \
        '[.[0] | .Config = $c | .Layers += [$l] | .RepoTags = ["bench/big:1"]]' "$dir/manifest.json" >"$dir/m.json"
    mv "$dir/m.json" "$dir/manifest.json"
    rm -f "$dir/index.json" "$dir/oci-layout" "$dir/repositories"
    rm -rf "$dir/big"
    tar -C "$dir" -cf "$work/big.tar" manifest.json blobs
    rm -rf "$dir"
}

# Removes a bridge a private berthd made, with its per-bridge rules: berthd keeps them when it
# stops, as dockerd keeps docker0, and a bench must leave the host as it found it.
remove_berth_bridge() {
    local br=$1
    iptables-save | awk -v tag="\"berth:$br\"" '/^\*/ {t = $0} /^-A/ && index($0, tag) {sub(/^-A/, "-D"); print t; print; print "COMMIT"}' \
        | iptables-restore --noflush
    printf '*nat\n-F BERTH-%s\n-X BERTH-%s\nCOMMIT\n' "$br" "$br" | iptables-restore --noflush 2>/dev/null
    ip link show "$br" >/dev/null 2>&1 && ip link delete "$br"
}

# What every bench's clean-up does before its own: removes the containers of the daemons on
# these sockets (whichever still answer). Pids and cgroup parents follow in stop_daemons and
# remove_cgroup_parents.
remove_containers() {
    local sock ids
    for sock in "$@"; do
        if [ -S "$sock" ]; then
            ids=$(DOCKER_HOST=unix://$sock "$docker_cli" ps -aq 2>/dev/null)
            [ -n "$ids" ] && DOCKER_HOST=unix://$sock "$docker_cli" rm -f $ids >/dev/null 2>&1
        fi
    done
    return 0
}

# Ends these processes by pid (TERM, then up to 10 s each), then unmounts what is left under $work.
stop_daemons() {
    local pid
    for pid in "$@"; do
        kill "$pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    grep -o " $work[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    return 0
}

# The daemons leave their (empty) parent cgroups; removes them in every hierarchy.
remove_cgroup_parents() {
    local parent
    for parent in "$@"; do
        find /sys/fs/cgroup -maxdepth 3 -depth -type d -name "$parent" -exec rmdir {} \; 2>/dev/null
    done
    return 0
}

# Starts the engines a latency bench compares, each with a sleeping busybox container named $2:
# this checkout's berthd; a berthd built from the checkout $baseline names, when it names one; and
# a private dockerd (own roots, no bridge, no iptables) when one is installed. Expects work, repo,
# docker_cli, berth_bridge and berth_bip; sets berthd_pid, base_pid, dockerd_pid and engines
# (berth, berth-base, dockerd). The cgroup parents are /berth-$1-$$, /base-$1-$$, /docker-$1-$$.
start_engines_with_sleeper() {
    local tag=$1 name=$2 engine sock
    echo "starting berthd..." >&2
    "$repo/deploy/bin/berthd" -H "unix://$work/berth.sock" --data-root "$work/berth-data" --exec-root "$work/berth-exec" \
        --bridge "$berth_bridge" --bip "$berth_bip" --pidfile "$work/berthd.pid" --cgroup-parent "/berth-$tag-$$" \
        >"$work/berthd.log" 2>&1 &
    berthd_pid=$!
    wait_for "$work/berth.sock" "$work/berthd.log"
    engines=(berth)
    if [ -n "${baseline:-}" ]; then
        echo "starting the baseline berthd from $baseline..." >&2
        "$baseline/deploy/bin/berthd" -H "unix://$work/base.sock" --data-root "$work/base-data" --exec-root "$work/base-exec" \
            --bridge "${berth_bridge}b" --bip "$(free_bip "$berth_bip")" --pidfile "$work/base.pid" \
            --cgroup-parent "/base-$tag-$$" >"$work/base.log" 2>&1 &
        base_pid=$!
        wait_for "$work/base.sock" "$work/base.log"
        engines+=(berth-base)
    fi
    if command -v dockerd >/dev/null 2>&1; then
        echo "starting a private dockerd ($(dockerd --version))..." >&2
        dockerd -H "unix://$work/docker.sock" --data-root "$work/docker-data" --exec-root "$work/docker-exec" \
            --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
            --cgroup-parent "/docker-$tag-$$" >"$work/dockerd.log" 2>&1 &
        dockerd_pid=$!
        wait_for "$work/docker.sock" "$work/dockerd.log"
        engines+=(dockerd)
    else
        echo "no dockerd on this machine: measuring berthd alone" >&2
    fi
    for engine in "${engines[@]}"; do
        case $engine in
            berth) sock=$work/berth.sock ;;
            berth-base) sock=$work/base.sock ;;
            dockerd) sock=$work/docker.sock ;;
        esac
        "$repo/deploy/bin/mkimage" busybox | DOCKER_HOST="unix://$sock" "$docker_cli" load >/dev/null
        DOCKER_HOST="unix://$sock" "$docker_cli" run -d --network none --name "$name" busybox sleep 100000 >/dev/null
    done
}
