package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import org.junit.jupiter.api.Test;

/** The config checks dockerd makes at create, before anything is stored. */
class CreateValidationTest {
    @Test
    void anUnknownStopSignalIsRefusedAtCreateNotAtStop() {
        for (String bad : new String[] {"NOPE", "99999999999999", "0"}) {
            assertThatThrownBy(() -> ContainerService.validateConfig(Configs.config("{\"Image\":\"busybox\",\"StopSignal\":\"" + bad + "\"}")))
                    .as(bad).isInstanceOfSatisfying(EngineException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
        assertThatCode(() -> ContainerService.validateConfig(Configs.config("{\"Image\":\"busybox\",\"StopSignal\":\"SIGUSR1\"}")))
                .doesNotThrowAnyException();
    }

    @Test
    void aRelativeWorkingDirectoryIsRefused() {
        assertThatThrownBy(() -> ContainerService.validateConfig(Configs.config("{\"Image\":\"busybox\",\"WorkingDir\":\"relative\"}")))
                .isInstanceOf(EngineException.class).hasMessageContaining("absolute path");
        assertThatCode(() -> ContainerService.validateConfig(Configs.config("{\"Image\":\"busybox\",\"WorkingDir\":\"/srv\"}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ContainerService.validateConfig(Configs.config("{\"Image\":\"busybox\"}"))).doesNotThrowAnyException();
    }

    @Test
    void anEndpointOnANetworkBerthDoesNotHaveIsRefusedNotIgnored() {
        assertThatThrownBy(() -> ContainerService.validateEndpoints(
                Configs.create("{\"networkingConfig\":{\"EndpointsConfig\":{\"nosuchnet\":{}}}}").networkingConfig(), null))
                .isInstanceOf(EngineException.class).hasMessage("network nosuchnet not found");
        assertThatCode(() -> ContainerService.validateEndpoints(
                Configs.create("{\"networkingConfig\":{\"EndpointsConfig\":{\"bridge\":{}}}}").networkingConfig(), null))
                .doesNotThrowAnyException();
        assertThatCode(() -> ContainerService.validateEndpoints(Configs.create("{}").networkingConfig(), null)).doesNotThrowAnyException();
        assertThatCode(() -> ContainerService.validateEndpoints(
                Configs.create("{\"networkingConfig\":{\"EndpointsConfig\":{\"container:web\":{}}}}").networkingConfig(), "container:web"))
                .as("the network NetworkMode names").doesNotThrowAnyException();
    }
}
