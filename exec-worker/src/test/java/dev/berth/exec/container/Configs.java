package dev.berth.exec.container;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonObject;

/** Records of Docker's create request, written as the JSON a client sends. */
final class Configs {
    private Configs() {
    }

    static ContainerConfig config(String json) {
        return JobCodec.decode(new JsonObject(json), ContainerConfig.class);
    }

    static HostConfig hostConfig(String json) {
        return JobCodec.decode(new JsonObject(json), HostConfig.class);
    }

    /** A create request as the CLI's body reaches the worker: {config, hostConfig, networkingConfig}. */
    static CreateContainer create(String json) {
        return JobCodec.decode(new JsonObject(json), CreateContainer.class);
    }
}
