package dev.berth.net.sandbox;

import dev.berth.bus.contract.network.Endpoint;
import java.io.IOException;
import dev.berth.net.ports.PortSpec;
import java.nio.file.Path;
import java.util.List;

/** Attaching a container's namespace to a network, and undoing it. */
public interface NetworkAttachments {
    /** The id of the bridge network a mode names; NOT_FOUND "network x not found". */
    String resolve(String network);

    /**
     * Attaches the namespace and publishes the ports; on failure nothing of the attempt is left.
     * With a spare sandbox (pinned at netns), its veth is put into use rather than a new one made.
     */
    Endpoint attach(String containerId, String containerName, Path netns, String network, List<PortSpec> ports,
            EndpointRequest options, SpareSandbox spare) throws IOException;

    /** Releases everything of the container's endpoints; no endpoint is not an error. */
    void detach(String containerId) throws IOException;

    /** Releases the container's endpoint on one network; no endpoint there is not an error. */
    void detach(String containerId, String networkId) throws IOException;
}
