package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker-java client library itself (what Testcontainers drives) against berthd: its create
 * bodies carry every unset field as null, and its flow is create, start, wait, logs, remove.
 */
class DockerJavaIT {
    private static BerthDaemon berth;
    private static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(berth.dockerHost())
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(berth.dockerHost()))
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
        berth.close();
    }

    @Test
    void create_start_wait_logs_and_remove() throws Exception {
        String id = docker.createContainerCmd("busybox")
                .withName("from-docker-java")
                .withCmd("sh", "-c", "echo out; echo err >&2; exit 7")
                .withLabels(java.util.Map.of("client", "docker-java"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec()
                .getId();
        docker.startContainerCmd(id).exec();
        int status = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(7);

        var inspect = docker.inspectContainerCmd(id).exec();
        assertThat(inspect.getName()).isEqualTo("/from-docker-java");
        assertThat(inspect.getState().getStatus()).isEqualTo("exited");
        assertThat(inspect.getState().getExitCodeLong()).isEqualTo(7L);
        assertThat(inspect.getState().getPaused()).isFalse();
        assertThat(inspect.getConfig().getLabels()).containsEntry("client", "docker-java");

        StringBuilder logs = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        logs.append(frame.getStreamType()).append(':').append(new String(frame.getPayload()).trim()).append('\n');
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        assertThat(logs.toString()).contains("STDOUT:out").contains("STDERR:err");

        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of("client", "docker-java"))
                .exec()).extracting(c -> c.getId()).containsExactly(id);

        docker.removeContainerCmd(id).exec();
        assertThatThrownBy(() -> docker.inspectContainerCmd(id).exec()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void an_option_berth_does_not_act_on_is_refused_by_name() {
        assertThatThrownBy(() -> docker.createContainerCmd("busybox").withCmd("true")
                .withHostConfig(HostConfig.newHostConfig().withBlkioWeight(300)).exec())
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("berth does not support HostConfig.BlkioWeight");
        assertThat(docker.listContainersCmd().withShowAll(true).exec()).isEmpty();
    }

    /**
     * Testcontainers' exec: a start without Upgrade (framed output in a 200 body), then the exec
     * inspected at once, whose ExitCode must already be there.
     */
    @Test
    void execWithoutUpgradeFramesTheOutputAndKeepsTheExitCode() throws Exception {
        String id = docker.createContainerCmd("busybox").withCmd("sleep", "1000").exec().getId();
        docker.startContainerCmd(id).exec();
        try {
            String execId = docker.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("sh", "-c", "echo out; echo err >&2; exit 4").exec().getId();
            StringBuilder output = new StringBuilder();
            docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    output.append(frame.getStreamType()).append(':').append(new String(frame.getPayload()).trim()).append('\n');
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
            assertThat(output.toString()).contains("STDOUT:out").contains("STDERR:err");
            assertThat(docker.inspectExecCmd(execId).exec().getExitCodeLong()).isEqualTo(4L);
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
