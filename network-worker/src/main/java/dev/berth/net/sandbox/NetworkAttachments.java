package dev.berth.net.sandbox;

import dev.berth.bus.contract.network.Endpoint;
import java.io.IOException;
import dev.berth.net.ports.PortSpec;
import java.nio.file.Path;
import java.util.List;

/** Attaching a container's namespace to a network, and undoing it. */
public interface NetworkAttachments {
    /** Attaches the namespace and publishes the ports; on failure nothing of the attempt is left. */
    Endpoint attach(String containerId, Path netns, List<PortSpec> ports) throws IOException;

    /** Releases everything of the container's endpoint; no endpoint is not an error. */
    void detach(String containerId) throws IOException;
}
