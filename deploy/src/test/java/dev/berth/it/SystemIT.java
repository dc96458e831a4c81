package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** version, info, ping and API version negotiation, with the real CLI and raw HTTP. */
class SystemIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void versionNegotiatesWithTheCli() throws Exception {
        String out = berth.docker("version", "--format", "{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}").ok();
        assertThat(out.trim()).isEqualTo("1.50 1.51 1.24 linux");
    }

    @Test
    void infoReportsRealFigures() throws Exception {
        String out = berth.docker("info", "--format",
                "{{.Containers}}|{{.Images}}|{{.NCPU}}|{{.CgroupVersion}}|{{.DockerRootDir}}|{{.OSType}}|{{.Swarm.LocalNodeState}}").ok();
        String[] fields = out.trim().split("\\|");
        assertThat(fields[0]).isEqualTo("0");
        assertThat(Integer.parseInt(fields[2])).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(fields[3]).isIn("1", "2");
        assertThat(fields[4]).isEqualTo(berth.dataRoot().toString());
        assertThat(fields[5]).isEqualTo("linux");
        assertThat(fields[6]).isEqualTo("inactive");
    }

    @Test
    void infoListsOnlyThePluginsThatExist() throws Exception {
        String out = berth.docker("info", "--format", "{{json .Plugins.Volume}}|{{json .Plugins.Network}}|{{.NEventsListener}}").ok();
        assertThat(out.trim()).isEqualTo("[\"local\"]|[\"host\",\"null\"]|0");
    }

    @Test
    void swarmCommandsSayWhatDockerdSaysOnANodeInNoSwarm() throws Exception {
        String notAManager = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or "
                + "\"docker swarm join\" to connect this node to swarm and try again.";
        for (String[] command : new String[][] {{"node", "ls"}, {"service", "ls"}, {"secret", "ls"}, {"config", "ls"}}) {
            CliResult result = berth.docker(command);
            assertThat(result.exitCode()).as(String.join(" ", command)).isNotZero();
            assertThat(result.stderr().trim()).as(String.join(" ", command)).isEqualTo(notAManager);
        }
        CliResult leave = berth.docker("swarm", "leave");
        assertThat(leave.exitCode()).isNotZero();
        assertThat(leave.stderr().trim()).isEqualTo("Error response from daemon: This node is not part of a swarm");
    }

    @Test
    void pluginListIsAnEmptyTable() throws Exception {
        String out = berth.docker("plugin", "ls").ok();
        assertThat(out.trim().lines()).hasSize(1);
        assertThat(out.trim()).startsWith("ID").contains("NAME").contains("ENABLED");
        CliResult inspect = berth.docker("plugin", "inspect", "vieux/sshfs");
        assertThat(inspect.exitCode()).isNotZero();
        assertThat(inspect.stderr()).contains("plugin \"vieux/sshfs\" not found");
        // docker inspect tries containers, images, networks, volumes, then plugins: a 404 ends the search.
        CliResult anything = berth.docker("inspect", "nosuchthing");
        assertThat(anything.exitCode()).isNotZero();
        assertThat(anything.stderr()).contains("No such object: nosuchthing");
    }

    @Test
    void pingCarriesTheNegotiationHeaders() throws Exception {
        String response = berth.rawGet("/_ping");
        assertThat(response).startsWith("HTTP/1.0 200").contains("Api-Version: 1.51").contains("Ostype: linux")
                .contains("Docker-Experimental: false").endsWith("OK");
    }

    @Test
    void versionsOutsideTheRangeAreRefusedWithDockersMessage() throws Exception {
        assertThat(berth.rawGet("/v1.99/version")).startsWith("HTTP/1.0 400")
                .contains("client version 1.99 is too new. Maximum supported API version is 1.51");
        assertThat(berth.rawGet("/v1.12/version")).startsWith("HTTP/1.0 400").contains("is too old");
        assertThat(berth.rawGet("/v1.32/version")).startsWith("HTTP/1.0 200");
    }

    @Test
    void unknownRoutesAre404WithAJsonMessage() throws Exception {
        String response = berth.rawGet("/v1.51/no/such/route");
        assertThat(response).startsWith("HTTP/1.0 404").contains("Content-Type: application/json")
                .contains("{\"message\":\"page not found\"}");
    }

    @Test
    void cliPinnedToAnOldApiVersionWorks() throws Exception {
        CliResult result = berth.shell("DOCKER_API_VERSION=1.32 " + BerthDaemon.DOCKER + " version --format '{{.Server.APIVersion}}'");
        assertThat(result.ok().trim()).isEqualTo("1.51");
    }

    @Test
    void anUnknownContainerIsNotConnectedAndVolumesAreAnEmptyList() throws Exception {
        CliResult network = berth.docker("network", "connect", "bridge", "nosuchcontainer");
        assertThat(network.exitCode()).isNotZero();
        assertThat(network.stderr()).contains("No such container: nosuchcontainer");
        assertThat(berth.docker("volume", "ls", "-q").ok()).isEmpty();
        assertThat(berth.docker("volume", "inspect", "data").stderr()).contains("no such volume");
    }
}
