package dev.berth.bus.contract.container;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * Docker's container Config as a client sends it at create (the top level of the create body
 * without HostConfig and NetworkingConfig), with Docker's field names. Every field a client may
 * send is here, so that none is dropped unseen: the exec worker either acts on a field or
 * refuses a value other than its default. A null field was not set.
 *
 * <p>{@code PortSpecs} is docker-java's name for a field of API versions before 1.24.
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Empty> exposedPorts,
        List<String> portSpecs,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        @JsonDeserialize(using = StringSlice.class) List<String> cmd,
        HealthConfig healthcheck,
        Boolean argsEscaped,
        String image,
        Map<String, Empty> volumes,
        String workingDir,
        @JsonDeserialize(using = StringSlice.class) List<String> entrypoint,
        Boolean networkDisabled,
        String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        @JsonDeserialize(using = StringSlice.class) List<String> shell) {

    /** Docker's {@code struct{}} map values ({"80/tcp": {}}): present, with nothing inside. */
    public record Empty() {
    }

    /** Config.Healthcheck; durations in nanoseconds. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod, Long startInterval,
            Integer retries) {
        /** No test, or {@code ["NONE"]}: the container has no health check. */
        public boolean disablesChecks() {
            return test == null || test.isEmpty() || (test.size() == 1 && "NONE".equals(test.get(0)));
        }
    }

    /** Every field unset. */
    public static ContainerConfig empty() {
        return dev.berth.bus.JobCodec.decode(io.vertx.core.buffer.Buffer.buffer("{}"), ContainerConfig.class);
    }

    public boolean ttyEnabled() {
        return Boolean.TRUE.equals(tty);
    }

    public boolean openStdinEnabled() {
        return Boolean.TRUE.equals(openStdin);
    }

    public boolean stdinOnceEnabled() {
        return Boolean.TRUE.equals(stdinOnce);
    }
}
