package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.HostConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPoliciesTest {
    private static HostConfig policy(String json) {
        return JobCodec.decode(io.vertx.core.buffer.Buffer.buffer("{\"RestartPolicy\":" + json + "}"), HostConfig.class);
    }

    @Test
    void dockerdsRules() {
        assertThat(RestartPolicies.shouldRestart(policy("{\"Name\":\"no\"}"), 0, 1, false)).isFalse();
        assertThat(RestartPolicies.shouldRestart(policy("{\"Name\":\"always\"}"), 5, 0, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(policy("{\"Name\":\"unless-stopped\"}"), 0, 0, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(policy("{\"Name\":\"unless-stopped\"}"), 0, 0, true)).isFalse();
        HostConfig onFailure = policy("{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}");
        assertThat(RestartPolicies.shouldRestart(onFailure, 0, 0, false)).as("success is no failure").isFalse();
        assertThat(RestartPolicies.shouldRestart(onFailure, 1, 3, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(onFailure, 2, 3, false)).as("retries used up").isFalse();
        assertThat(RestartPolicies.shouldRestart(policy("{\"Name\":\"on-failure\"}"), 100, 3, false)).isTrue();
    }

    @Test
    void backOffDoublesToAMinuteAndResetsAfterALongRun() {
        assertThat(RestartPolicies.nextDelay(0, Duration.ZERO)).isEqualTo(100);
        assertThat(RestartPolicies.nextDelay(100, Duration.ofSeconds(1))).isEqualTo(200);
        assertThat(RestartPolicies.nextDelay(51_200, Duration.ZERO)).isEqualTo(60_000);
        assertThat(RestartPolicies.nextDelay(60_000, Duration.ZERO)).isEqualTo(60_000);
        assertThat(RestartPolicies.nextDelay(60_000, Duration.ofSeconds(10))).isEqualTo(100);
    }
}
