package dev.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

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

    /** This JVM's architecture in Go's (and so OCI's) names. */
    static final String HOST_ARCH = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> "amd64";
        case "aarch64" -> "arm64";
        default -> System.getProperty("os.arch", "");
    };

    /**
     * The {@code platform} query (docker run --platform): Berth runs only this host's platform,
     * so another one is refused rather than ignored (the container would run the host's image
     * anyway). dockerd answers an image of another platform the same way, with a refusal.
     */
    static void checkPlatform(String platform) {
        if (platform == null || platform.isEmpty()) {
            return;
        }
        String[] parts = platform.toLowerCase(Locale.ROOT).split("/");
        boolean host = parts[0].equals("linux") && (parts.length == 1 || parts[1].equals(HOST_ARCH)) && parts.length <= 3;
        if (!host) {
            throw EngineException.invalid("berth runs only linux/" + HOST_ARCH + " containers, not platform " + platform);
        }
    }

    static CreateContainer parse(String name, JsonObject body) {
        ContainerConfig config = JobCodec.decode(body, ContainerConfig.class);
        Beside beside = JobCodec.decode(body, Beside.class);
        return new CreateContainer(name == null || name.isEmpty() ? null : name, config, beside.hostConfig(),
                beside.networkingConfig());
    }
}
