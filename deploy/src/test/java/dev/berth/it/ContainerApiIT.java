package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The typed create contract over plain HTTP, as clients other than the CLI send it: docker-java's
 * bodies with every unset field null, wrong JSON types, and options Berth does not act on yet.
 */
class ContainerApiIT {
    /** docker-java's CreateContainerCmd with only Image and Cmd set: every other field an explicit null. */
    private static final String DOCKER_JAVA_BODY = """
            {"Hostname":null,"Domainname":null,"User":null,"AttachStdin":null,"AttachStdout":null,"AttachStderr":null,
             "PortSpecs":null,"Tty":null,"OpenStdin":null,"StdinOnce":null,"Env":null,"Cmd":["sh","-c","echo typed"],
             "Healthcheck":null,"ArgsEscaped":null,"Entrypoint":null,"Image":"busybox","Volumes":null,"WorkingDir":null,
             "MacAddress":null,"OnBuild":null,"NetworkDisabled":null,"ExposedPorts":null,"StopSignal":null,"StopTimeout":null,
             "Labels":null,"Shell":null,"NetworkingConfig":null,
             "HostConfig":{"Binds":null,"BlkioWeight":null,"BlkioWeightDevice":null,"BlkioDeviceReadBps":null,
              "BlkioDeviceWriteBps":null,"BlkioDeviceReadIOps":null,"BlkioDeviceWriteIOps":null,"MemorySwappiness":null,
              "NanoCpus":null,"CapAdd":null,"CapDrop":null,"ContainerIDFile":null,"CpuPeriod":null,"CpuRealtimePeriod":null,
              "CpuRealtimeRuntime":null,"CpuShares":null,"CpuQuota":null,"CpusetCpus":null,"CpusetMems":null,"Devices":null,
              "DeviceCgroupRules":null,"DeviceRequests":null,"DiskQuota":null,"Dns":null,"DnsOptions":null,"DnsSearch":null,
              "ExtraHosts":null,"GroupAdd":null,"IpcMode":null,"Cgroup":null,"Links":null,"LogConfig":null,"LxcConf":null,
              "Memory":null,"MemorySwap":null,"MemoryReservation":null,"KernelMemory":null,"NetworkMode":null,
              "OomKillDisable":null,"Init":null,"AutoRemove":null,"OomScoreAdj":null,"PortBindings":null,"Privileged":null,
              "PublishAllPorts":null,"ReadonlyRootfs":null,"RestartPolicy":null,"Ulimits":null,"CpuCount":null,
              "CpuPercent":null,"IOMaximumIOps":null,"IOMaximumBandwidth":null,"VolumesFrom":null,"Mounts":null,
              "PidMode":null,"Isolation":null,"SecurityOpt":null,"StorageOpt":null,"CgroupParent":null,"VolumeDriver":null,
              "ShmSize":null,"PidsLimit":null,"Runtime":null,"Tmpfs":null,"UTSMode":null,"UsernsMode":null,"Sysctls":null,
              "ConsoleSize":null,"CgroupnsMode":null}}
            """;

    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @AfterEach
    void removeContainers() throws Exception {
        berth.removeAllContainers();
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** The JSON of a response, chunked or not: from its first brace to its last. */
    private static JsonObject json(String response) {
        String body = body(response);
        return new JsonObject(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
    }

    @Test
    void a_docker_java_body_with_every_unset_field_null_creates_and_runs() throws Exception {
        String created = berth.rawPost("/containers/create?name=typed", "application/json", DOCKER_JAVA_BODY);
        assertThat(created).as(created).startsWith("HTTP/1.1 201");
        String id = json(created).getString("Id");

        String waiting = "/containers/" + id + "/wait?condition=next-exit";
        var exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return berth.rawPost(waiting, "application/json", "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(200);
        assertThat(berth.rawPost("/containers/" + id + "/start", "application/json", "")).startsWith("HTTP/1.1 204");
        String waited = exit.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(json(waited).getInteger("StatusCode")).as(waited).isZero();

        JsonObject inspect = json(berth.rawGet("/containers/" + id + "/json"));
        assertThat(inspect.getJsonObject("State").getString("Status")).isEqualTo("exited");
        assertThat(inspect.getJsonObject("State").getInteger("ExitCode")).isZero();
        assertThat(inspect.getJsonObject("HostConfig").getString("NetworkMode")).isEqualTo("default");
        assertThat(inspect.getJsonObject("HostConfig").getBoolean("AutoRemove")).isFalse();
        assertThat(berth.docker("logs", "typed").out()).isEqualTo("typed");
    }

    @Test
    void a_field_of_the_wrong_json_type_is_a_400_naming_it() throws Exception {
        String image = berth.rawPost("/containers/create", "application/json", "{\"Image\":123}");
        assertThat(image).startsWith("HTTP/1.1 400").contains("invalid value for field Image: expected a string");
        String memory = berth.rawPost("/containers/create", "application/json",
                "{\"Image\":\"busybox\",\"Cmd\":\"true\",\"HostConfig\":{\"Memory\":\"lots\"}}");
        assertThat(memory).startsWith("HTTP/1.1 400").contains("HostConfig.Memory");
        String autoRemove = berth.rawPost("/containers/create", "application/json",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":\"yes\"}}");
        assertThat(autoRemove).startsWith("HTTP/1.1 400").contains("HostConfig.AutoRemove");
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void a_bare_string_command_is_one_word() throws Exception {
        String created = berth.rawPost("/containers/create", "application/json", "{\"Image\":\"busybox\",\"Cmd\":\"date\"}");
        assertThat(created).startsWith("HTTP/1.1 201");
        JsonObject inspect = json(berth.rawGet("/containers/" + json(created).getString("Id") + "/json"));
        assertThat(inspect.getString("Path")).isEqualTo("date");
        assertThat(inspect.getJsonObject("Config").getJsonArray("Cmd").getList()).containsExactly("date");
    }

    @Test
    void options_berth_does_not_act_on_are_refused_by_name() throws Exception {
        List<List<String>> refused = List.of(
                List.of("--storage-opt", "size=1G", "HostConfig.StorageOpt"),
                List.of("--userns", "host", "HostConfig.UsernsMode"),
                List.of("--blkio-weight", "300", "HostConfig.BlkioWeight"),
                List.of("--memory-swappiness", "10", "HostConfig.MemorySwappiness"),
                List.of("--uts", "host", "HostConfig.UTSMode"));
        for (List<String> option : refused) {
            CliResult run = berth.docker("run", option.get(0), option.get(1), "busybox", "true");
            assertThat(run.exitCode()).as(option.toString()).isEqualTo(125);
            assertThat(run.stderr()).as(option.toString()).contains("berth does not support " + option.get(2));
        }
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
        // What Berth does act on still works beside the CLI's defaults.
        assertThat(berth.docker("run", "--rm", "--dns", "9.9.9.9", "--restart", "no", "busybox", "cat", "/etc/resolv.conf").ok())
                .contains("nameserver 9.9.9.9");
    }

    @Test
    void ps_honours_every_documented_filter_and_refuses_unknown_ones() throws Exception {
        String done = berth.docker("run", "--name", "done", "--label", "role=batch", "busybox", "sh", "-c", "exit 3").stderr();
        assertThat(done).isEmpty();
        String web = berth.docker("run", "-d", "--name", "web", "--expose", "80", "busybox", "sleep", "60").out();
        String host = berth.docker("run", "-d", "--name", "hostnet", "--network", "host", "busybox", "sleep", "60").out();

        // A status filter lists stopped containers without --all, as dockerd does.
        assertThat(berth.docker("ps", "--filter", "status=exited", "--format", "{{.Names}}").out()).isEqualTo("done");
        assertThat(berth.docker("ps", "-a", "--filter", "exited=3", "--format", "{{.Names}}").out()).isEqualTo("done");
        assertThat(berth.docker("ps", "-a", "--filter", "label=role=batch", "--format", "{{.Names}}").out()).isEqualTo("done");
        assertThat(berth.docker("ps", "--filter", "expose=80/tcp", "-q", "--no-trunc").out()).isEqualTo(web);
        assertThat(berth.docker("ps", "--filter", "network=host", "-q", "--no-trunc").out()).isEqualTo(host);
        assertThat(berth.docker("ps", "--filter", "health=none", "-q").out().lines()).hasSize(2);
        assertThat(berth.docker("ps", "-a", "--filter", "publish=80", "-q").out()).isEmpty();
        assertThat(berth.docker("ps", "-a", "--filter", "volume=data", "-q").out()).isEmpty();
        assertThat(berth.docker("ps", "-a", "--filter", "is-task=true", "-q").out()).isEmpty();

        CliResult unknown = berth.docker("ps", "--filter", "colour=red");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("invalid filter 'colour'");
        assertThat(berth.rawGet("/containers/json?filters=%7B%22colour%22%3A%5B%22red%22%5D%7D")).startsWith("HTTP/1.0 400");
    }
}
