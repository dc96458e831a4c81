package dev.berth.bus;

/**
 * Where a job may run. Most jobs may be placed on any node; a job whose arguments or reply name a
 * host path (a rootfs, a network namespace, a log file) only makes sense on the node that holds
 * that path, and a transport must deliver it there or fail it, never re-place it. Such a job
 * without a node is addressed to the caller's own node ({@link JobAddressing}).
 */
public enum Locality {
    ANY_NODE,
    NODE_LOCAL
}
