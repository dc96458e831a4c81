package dev.berth.api.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.container.CreateContainer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CreateRequestTest {
    private static CreateContainer parse(String body) {
        return CreateRequest.parse("web", new JsonObject(body));
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void config_sits_at_the_top_beside_host_and_networking_config() {
        CreateContainer create = parse("{\"Image\":\"busybox\",\"Cmd\":\"date\",\"HostConfig\":{\"NetworkMode\":\"host\","
                + "\"AutoRemove\":true},\"NetworkingConfig\":{\"EndpointsConfig\":{\"host\":{}}}}");
        assertThat(create.name()).isEqualTo("web");
        assertThat(create.config().image()).isEqualTo("busybox");
        assertThat(create.config().cmd()).containsExactly("date");
        assertThat(create.hostConfig().networkMode()).isEqualTo("host");
        assertThat(create.hostConfig().autoRemoveEnabled()).isTrue();
        assertThat(create.networkingConfig().endpoints()).containsKey("host");
    }

    @Test
    void a_field_of_the_wrong_type_is_a_400_naming_it() {
        assertRefused("{\"Image\":123}", "invalid value for field Image: expected a string");
        assertRefused("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"lots\"}}",
                "invalid value for field HostConfig.Memory: expected a number");
        assertRefused("{\"Image\":\"busybox\",\"HostConfig\":5}", "invalid value for field HostConfig: expected an object");
        assertRefused("{\"Image\":\"busybox\",\"Cmd\":{}}", "invalid value for field Cmd: expected an array");
    }

    /** docker-java sends every unset field as null; null is "not set" everywhere. */
    @Test
    void explicit_nulls_are_unset() {
        CreateContainer create = parse("{\"Image\":\"busybox\",\"Cmd\":null,\"Env\":null,\"Tty\":null,\"HostConfig\":"
                + "{\"AutoRemove\":null,\"RestartPolicy\":null,\"Memory\":null,\"NetworkMode\":null},\"NetworkingConfig\":null}");
        assertThat(create.config().cmd()).isNull();
        assertThat(create.config().ttyEnabled()).isFalse();
        assertThat(create.hostConfig().autoRemoveEnabled()).isFalse();
        assertThat(create.hostConfig().effectiveNetworkMode()).isEqualTo("default");
        assertThat(create.networkingConfig().endpoints()).isEmpty();
        assertThat(CreateRequest.parse(null, new JsonObject()).name()).isNull();
    }

    @Test
    void anotherPlatformIsRefusedNotIgnored() {
        for (String other : new String[] {"windows/amd64", "linux/s390x", "darwin", "linux/" + CreateRequest.HOST_ARCH + "/v8/x"}) {
            assertThatThrownBy(() -> CreateRequest.checkPlatform(other)).as(other)
                    .isInstanceOf(EngineException.class).hasMessageContaining("platform " + other);
        }
        for (String host : new String[] {null, "", "linux", "linux/" + CreateRequest.HOST_ARCH, "Linux/" + CreateRequest.HOST_ARCH}) {
            assertThatCode(() -> CreateRequest.checkPlatform(host)).as(String.valueOf(host))
                    .doesNotThrowAnyException();
        }
    }
}
