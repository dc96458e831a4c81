package dev.berth.net.endpoint;

import dev.berth.bus.contract.network.Endpoint;
import java.util.List;

/**
 * What the network worker keeps of one attachment, enough to undo it after a crash.
 *
 * @param netnsPath the pinned namespace the endpoint's interface lives in
 * @param hostVeth the host end of the veth pair, on the bridge
 * @param aliases network-scoped aliases the embedded DNS answers for too
 * @param insideName the interface in the namespace (eth0, eth1…); null in records written
 *     when a container had one endpoint, which was eth0
 */
public record StoredEndpoint(String containerId, String containerName, String netnsPath, String hostVeth, Endpoint endpoint,
        List<String> aliases, String insideName) {
    public StoredEndpoint {
        insideName = insideName == null ? "eth0" : insideName;
    }
}
