package dev.berth.deploy;

import dev.berth.bus.contract.container.HostConfig;
import dev.berth.graph.registry.RegistryOptions;
import dev.berth.graph.snapshot.StorageDriver;
import dev.berth.net.bridge.AddressPoolSpec;
import java.nio.file.Path;
import java.util.List;

/** The daemon's effective configuration, after daemon.json and flags were merged and checked. */
record DaemonConfig(
        List<String> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidfile,
        String logLevel,
        String nodeName,
        List<String> labels,
        String runtime,
        String conmon,
        String cgroupParent,
        RegistryOptions registries,
        String bridge,
        String bip,
        List<AddressPoolSpec> addressPools,
        List<String> dns,
        /** daemon.json log-driver and log-opts (or the flags); null when neither is set. */
        HostConfig.LogConfig logConfig,
        StorageDriver storageDriver) {
}
