package dev.berth.api.network;

import dev.berth.api.model.NetworkConfigReference;
import dev.berth.api.model.NetworkEndpointResource;
import dev.berth.api.model.NetworkIpam;
import dev.berth.api.model.NetworkIpamConfig;
import dev.berth.api.model.NetworkResource;
import dev.berth.bus.contract.network.NetworkAttachment;
import dev.berth.bus.contract.network.NetworkView;
import java.util.List;
import java.util.Map;

/** Docker's shape of a network, from the network worker's view. */
final class NetworkResources {
    private NetworkResources() {
    }

    static NetworkResource from(NetworkView view) {
        List<NetworkIpamConfig> config = view.ipam().isEmpty() ? null
                : view.ipam().stream().map(range -> new NetworkIpamConfig(range.subnet(), range.ipRange(), range.gateway())).toList();
        Map<String, NetworkEndpointResource> containers = new java.util.TreeMap<>();
        for (NetworkAttachment attached : view.containers()) {
            containers.put(attached.containerId(), new NetworkEndpointResource(attached.name(), attached.endpointId(),
                    attached.macAddress(), attached.ipv4Address(), ""));
        }
        return new NetworkResource(view.name(), view.id(), view.created(), view.scope(), view.driver(),
                true, false, new NetworkIpam("default", null, config), view.internal(), view.attachable(), false,
                new NetworkConfigReference(""), false, containers, view.options(), view.labels());
    }
}
