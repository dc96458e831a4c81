package dev.berth.net;

import dev.berth.net.bridge.AddressPoolSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Configuration of the network worker.
 *
 * @param namespaceDir where network namespaces are pinned (exec-root/netns)
 * @param endpointDir where the endpoints on record are kept (exec-root/network/endpoints)
 * @param networkDir where user-defined networks are kept (data-root/network/networks)
 * @param bridgeName the default bridge's device (dockerd's {@code --bridge}; berth0)
 * @param bip the bridge's address with prefix (dockerd's {@code --bip}); null to choose from the pools
 * @param addressPools daemon.json {@code default-address-pools}
 * @param dns daemon.json {@code dns}: where the embedded DNS servers relay other names; empty for
 *     the host's resolvers
 */
public record NetworkOptions(Path namespaceDir, Path endpointDir, Path networkDir, String bridgeName, String bip, List<AddressPoolSpec> addressPools,
        List<String> dns) {
    public static final String DEFAULT_BRIDGE = "berth0";

    public NetworkOptions {
        dns = dns == null ? List.of() : List.copyOf(dns);
        addressPools = addressPools == null || addressPools.isEmpty() ? List.of(AddressPoolSpec.defaultPool()) : List.copyOf(addressPools);
    }

    public static NetworkOptions under(Path dataRoot, Path execRoot, String bridgeName, String bip,
            List<AddressPoolSpec> addressPools, List<String> dns) {
        return new NetworkOptions(execRoot.resolve("netns"), execRoot.resolve("network").resolve("endpoints"),
                dataRoot.resolve("network").resolve("networks"),
                bridgeName == null ? DEFAULT_BRIDGE : bridgeName, bip, addressPools, dns);
    }
}
