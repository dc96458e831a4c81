package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker network ls and inspect with the real CLI: the predefined networks, and every list filter. */
class NetworkIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static List<String> names(String... filters) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("network", "ls", "--format", "{{.Name}}"));
        for (String filter : filters) {
            args.add("--filter");
            args.add(filter);
        }
        String out = berth.docker(args.toArray(new String[0])).ok();
        return out.isBlank() ? List.of() : List.of(out.trim().split("\n"));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void lsShowsThePredefinedNetworks() throws Exception {
        assertThat(names()).containsExactlyInAnyOrder("bridge", "host", "none");
        String table = berth.docker("network", "ls").ok();
        assertThat(table).contains("NETWORK ID").contains("bridge").contains("host").contains("null").contains("local");
    }

    @Test
    void aLabelFilterMatchesNothingSinceThePredefinedNetworksHaveNoLabels() throws Exception {
        assertThat(names("label=x")).isEmpty();
        assertThat(names("label=com.example=1")).isEmpty();
        assertThat(berth.docker("network", "ls", "-q", "--filter", "label=x").ok()).isEmpty();
        // docker-java and docker-py send the older list encoding; it must filter the same.
        String legacy = URLEncoder.encode("{\"label\":[\"x\"]}", StandardCharsets.UTF_8);
        String response = berth.rawGet("/v1.51/networks?filters=" + legacy);
        assertThat(response).startsWith("HTTP/1.0 200");
        assertThat(new JsonArray(body(response))).isEmpty();
    }

    @Test
    void nameTypeDriverIdScopeAndDanglingFilter() throws Exception {
        assertThat(names("name=host")).containsExactly("host");
        assertThat(names("name=^n")).containsExactly("none");
        assertThat(names("type=builtin")).containsExactlyInAnyOrder("bridge", "host", "none");
        assertThat(names("type=custom")).isEmpty();
        assertThat(names("driver=null")).containsExactly("none");
        assertThat(names("driver=bridge", "driver=host")).containsExactlyInAnyOrder("bridge", "host");
        assertThat(names("scope=local")).containsExactlyInAnyOrder("bridge", "host", "none");
        assertThat(names("scope=swarm")).isEmpty();
        assertThat(names("dangling=true")).isEmpty();
        assertThat(names("dangling=false")).containsExactlyInAnyOrder("bridge", "host", "none");
        String hostId = berth.docker("network", "inspect", "--format", "{{.Id}}", "host").ok().trim();
        assertThat(names("id=" + hostId.substring(0, 12))).containsExactly("host");
    }

    @Test
    void filtersDockerdDoesNotKnowAreRefusedInItsWords() throws Exception {
        CliResult bogus = berth.docker("network", "ls", "--filter", "bogus=1");
        assertThat(bogus.exitCode()).isNotZero();
        assertThat(bogus.stderr()).contains("Error response from daemon: invalid filter 'bogus'");
        CliResult badType = berth.docker("network", "ls", "--filter", "type=other");
        assertThat(badType.exitCode()).isNotZero();
        assertThat(badType.stderr()).contains("invalid filter: 'type'='other'");
        CliResult badDangling = berth.docker("network", "ls", "--filter", "dangling=maybe");
        assertThat(badDangling.exitCode()).isNotZero();
        assertThat(badDangling.stderr()).contains("invalid value for filter 'dangling'");
        String unparseable = berth.rawGet("/v1.51/networks?filters=" + URLEncoder.encode("{\"label\":\"x\"}", StandardCharsets.UTF_8));
        assertThat(unparseable).startsWith("HTTP/1.0 400").contains("invalid filter");
    }

    @Test
    void inspectShowsEachPredefinedNetwork() throws Exception {
        JsonArray all = new JsonArray(berth.docker("network", "inspect", "bridge", "host", "none").ok());
        assertThat(all).hasSize(3);
        assertThat(all.stream().map(n -> ((JsonObject) n).getString("Name"))).containsExactly("bridge", "host", "none");
        assertThat(all.stream().map(n -> ((JsonObject) n).getString("Driver"))).containsExactly("bridge", "host", "null");
        JsonObject host = all.getJsonObject(1);
        assertThat(host.getString("Id")).matches("[0-9a-f]{64}");
        assertThat(host.getString("Scope")).isEqualTo("local");
        assertThat(host.getJsonObject("IPAM").getString("Driver")).isEqualTo("default");
        assertThat(host.getJsonObject("Containers")).isEmpty();
        assertThat(host.getJsonObject("Labels")).isEmpty();
        String id = host.getString("Id");
        assertThat(berth.docker("network", "inspect", "--format", "{{.Name}}", id.substring(0, 12)).ok().trim()).isEqualTo("host");
        assertThat(berth.docker("inspect", "--type", "network", "--format", "{{.Driver}}", "none").ok().trim()).isEqualTo("null");
        CliResult missing = berth.docker("network", "inspect", "nosuchnet");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("network nosuchnet not found");
    }

    @Test
    void thePredefinedNetworksCannotBeRemoved() throws Exception {
        CliResult rm = berth.docker("network", "rm", "bridge");
        assertThat(rm.exitCode()).isNotZero();
        assertThat(rm.stderr()).contains("bridge is a pre-defined network and cannot be removed");
        assertThat(berth.docker("network", "rm", "nosuch").stderr()).contains("not found");
        assertThat(berth.docker("network", "ls", "-q").ok().lines().count()).isEqualTo(3);
    }
}
