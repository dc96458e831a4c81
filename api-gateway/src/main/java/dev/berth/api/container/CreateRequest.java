package dev.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import io.vertx.core.json.JsonObject;

/**
 * Docker's create body read into the typed request: Config's fields at the top level, beside
 * HostConfig and NetworkingConfig. A field of the wrong JSON type fails with INVALID_ARGUMENT
 * naming it as the client wrote it (Image, HostConfig.Memory).
 */
final class CreateRequest {
    /** The two objects that sit beside Config's fields in the body. */
    record Beside(@JsonProperty("HostConfig") HostConfig hostConfig,
            @JsonProperty("NetworkingConfig") NetworkingConfig networkingConfig) {
    }

    private CreateRequest() {
    }

    static CreateContainer parse(String name, JsonObject body) {
        ContainerConfig config = JobCodec.decode(body, ContainerConfig.class);
        Beside beside = JobCodec.decode(body, Beside.class);
        return new CreateContainer(name == null || name.isEmpty() ? null : name, config, beside.hostConfig(),
                beside.networkingConfig());
    }
}
