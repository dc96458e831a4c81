package dev.berth.exec.oci;

import java.util.List;

/** Who a container's process runs as, resolved against the container's own /etc/passwd and /etc/group. */
public record ProcessUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public static final ProcessUser ROOT = new ProcessUser(0, 0, List.of(), "/root");
}
