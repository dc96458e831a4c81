package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** docker load, images, inspect, tag, rmi, save — the real CLI against a real berthd. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {
    private static BerthDaemon berth;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static String busyboxId() throws Exception {
        return berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim();
    }

    @Test
    @Order(1)
    void mkimagePipedIntoDockerLoad() throws Exception {
        CliResult load = berth.shell("$BERTH_REPO/deploy/bin/mkimage busybox | docker load");
        assertThat(load.ok()).contains("Loaded image: busybox:latest");
        String images = berth.docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}").ok();
        assertThat(images.trim()).matches("busybox:latest [0-9a-f]{12} [0-9.]+MB");
    }

    @Test
    @Order(2)
    void loadingTwiceIsCheapAndChangesNothing() throws Exception {
        String before = busyboxId();
        Set<String> files = filesUnderImageRoot();
        assertThat(berth.docker("load", "-i", BerthDaemon.busyboxArchive().toString()).ok()).contains("Loaded image: busybox:latest");
        assertThat(busyboxId()).isEqualTo(before);
        assertThat(filesUnderImageRoot()).isEqualTo(files);
    }

    @Test
    @Order(3)
    void inspectByNameIdAndPrefixAndThroughPlainInspect() throws Exception {
        String id = busyboxId();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        String out = berth.docker("image", "inspect", "--format",
                "{{.Os}} {{.Architecture}} {{index .Config.Cmd 0}} {{len .RootFS.Layers}} {{.GraphDriver.Name}} {{.RootFS.Type}}",
                "busybox").ok();
        assertThat(out.trim()).matches("linux \\w+ sh 1 overlay2 layers");
        assertThat(berth.docker("inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", id.substring(7, 19)).ok().trim()).isEqualTo(id);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", "docker.io/library/busybox:latest").ok().trim())
                .isEqualTo(id);
        CliResult missing = berth.docker("image", "inspect", "nosuch");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("No such image: nosuch");
        String history = berth.docker("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}", "busybox").ok();
        assertThat(history.trim()).startsWith(id + "|deploy/bin/mkimage busybox").endsWith("MB");
        String created = berth.docker("image", "inspect", "--format", "{{.Created}}", "busybox").ok().trim();
        assertThat(created).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    @Order(4)
    void tagAndRemoveTags() throws Exception {
        String id = busyboxId();
        berth.docker("tag", "busybox", "localhost:5000/x/y:1").ok();
        berth.docker("tag", id.substring(7, 19), "mine").ok();
        String repos = berth.docker("images", "--format", "{{.Repository}}:{{.Tag}}").ok();
        assertThat(repos.lines().sorted().collect(Collectors.toList()))
                .containsExactly("busybox:latest", "localhost:5000/x/y:1", "mine:latest");
        assertThat(berth.docker("images", "--filter", "reference=mine", "--format", "{{.Repository}}").ok().trim()).isEqualTo("mine");
        assertThat(berth.docker("images", "-q", "--filter", "dangling=true").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "label=no.such.label").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "before=busybox").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "until=1970-01-02T00:00:00Z").ok()).isEmpty();
        CliResult unknownFilter = berth.docker("images", "--filter", "colour=red");
        assertThat(unknownFilter.exitCode()).isNotZero();
        assertThat(unknownFilter.stderr()).contains("invalid filter 'colour'");

        assertThat(berth.docker("rmi", "localhost:5000/x/y:1").ok().trim()).isEqualTo("Untagged: localhost:5000/x/y:1");
        assertThat(berth.docker("rmi", "mine").ok().trim()).isEqualTo("Untagged: mine:latest");
        assertThat(busyboxId()).isEqualTo(id);

        CliResult unknown = berth.docker("rmi", "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such image: nosuch:latest");
        CliResult bad = berth.docker("tag", "nosuch", "other");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("No such image");
        assertThat(rawPost("/v1.51/images/busybox/tag?repo=Bad%20Name&tag=x")).startsWith("HTTP/1.0 400")
                .contains("invalid reference format");
        assertThat(rawPost("/v1.51/images/busybox/tag?repo=good&tag=-bad")).startsWith("HTTP/1.0 400")
                .contains("invalid tag format");
    }

    @Test
    @Order(5)
    void saveAndLoadIntoASecondDaemon() throws Exception {
        String id = busyboxId();
        Path file = work.resolve("busybox.tar");
        berth.docker("save", "-o", file.toString(), "busybox").ok();
        assertThat(tarNames(file)).contains("index.json", "manifest.json", "oci-layout", "repositories",
                "blobs/sha256/" + id.substring(7));
        try (BerthDaemon second = BerthDaemon.start()) {
            CliResult piped = berth.shell("docker save busybox | DOCKER_HOST=" + second.dockerHost() + " docker load");
            assertThat(piped.ok()).contains("Loaded image: busybox:latest");
            assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
            second.docker("rmi", "busybox").ok();
            assertThat(second.docker("load", "-i", file.toString()).ok()).contains("Loaded image: busybox:latest");
            assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
        }
        CliResult unknown = berth.docker("save", "-o", work.resolve("x.tar").toString(), "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such image");
    }

    @Test
    @Order(6)
    void badArchivesAreRefusedAndLeaveNothing() throws Exception {
        Set<String> before = filesUnderImageRoot();
        Path junk = work.resolve("junk.tar");
        Files.write(junk, "this is not a tar archive\n".repeat(400).getBytes(StandardCharsets.US_ASCII));
        refused(junk, "invalid tar header");

        byte[] busybox = Files.readAllBytes(BerthDaemon.busyboxArchive());
        Path truncated = work.resolve("truncated.tar");
        Files.write(truncated, java.util.Arrays.copyOf(busybox, busybox.length / 2 + 100));
        refused(truncated, "unexpected EOF");

        Path noManifest = work.resolve("nomanifest.tar");
        Files.write(noManifest, archive(List.of(new Entry("hello.txt", "hi".getBytes(StandardCharsets.UTF_8), null))));
        refused(noManifest, "manifest.json");

        String marker = "berth-it-escape-" + Long.toHexString(System.nanoTime());
        Path traversal = work.resolve("traversal.tar");
        Files.write(traversal, image(archive(List.of(new Entry("../../../../../tmp/" + marker, "x".getBytes(), null)))));
        refused(traversal, "path traversal");

        Path symlinkEscape = work.resolve("symlink.tar");
        Files.write(symlinkEscape, image(archive(List.of(new Entry("evil", null, "/tmp"),
                new Entry("evil/" + marker, "x".getBytes(), null)))));
        refused(symlinkEscape, "passes through the symlink");

        assertThat(Path.of("/tmp", marker)).doesNotExist();
        assertThat(filesUnderImageRoot()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void loadsArchivesBerthDidNotWrite() throws Exception {
        Path busybox = BerthDaemon.busyboxArchive();
        Path legacy = work.resolve("skopeo-docker.tar");
        Path oci = work.resolve("skopeo-oci.tar");
        berth.shell("skopeo copy -q docker-archive:" + busybox + " docker-archive:" + legacy + ":busybox:legacy").ok();
        berth.shell("skopeo copy -q docker-archive:" + busybox + " oci-archive:" + oci + ":busybox:oci").ok();
        assertThat(berth.docker("load", "-i", legacy.toString()).ok()).contains("Loaded image: busybox:legacy");
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox:legacy").ok().trim()).isEqualTo(busyboxId());
        assertThat(berth.docker("load", "-i", oci.toString()).ok()).contains("Loaded image: busybox:oci");
        assertThat(berth.docker("rmi", "busybox:legacy", "busybox:oci").ok()).contains("Untagged: busybox:legacy")
                .contains("Untagged: busybox:oci").contains("Deleted: sha256:");
    }

    @Test
    @Order(8)
    void anImageInUseStaysUntilItsContainerIsRemoved() throws Exception {
        String id = busyboxId();
        String shortId = id.substring(7, 19);
        String container = berth.docker("run", "-d", "busybox", "sleep", "300").ok().trim();
        String shortContainer = container.substring(0, 12);
        try {
            CliResult byName = berth.docker("rmi", "busybox");
            assertThat(byName.exitCode()).as(byName.toString()).isNotZero();
            assertThat(byName.stderr()).contains("conflict: unable to remove repository reference \"busybox\" (must force) - container "
                    + shortContainer + " is using its referenced image " + shortId);

            CliResult forcedById = berth.docker("rmi", "-f", shortId);
            assertThat(forcedById.exitCode()).as(forcedById.toString()).isNotZero();
            assertThat(forcedById.stderr()).contains("conflict: unable to delete " + shortId
                    + " (cannot be forced) - image is being used by running container " + shortContainer);
            assertThat(busyboxId()).isEqualTo(id);

            // dockerd's rule: forcing by name untags, and the image stays while a container runs it.
            assertThat(berth.docker("rmi", "-f", "busybox").ok().trim()).isEqualTo("Untagged: busybox:latest");
            assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", shortId).ok().trim()).isEqualTo(id);
            assertThat(berth.docker("inspect", "--format", "{{.State.Running}}", container).ok().trim()).isEqualTo("true");
            CliResult stillForbidden = berth.docker("rmi", "-f", shortId);
            assertThat(stillForbidden.stderr()).contains("(cannot be forced) - image is being used by running container " + shortContainer);
            berth.docker("tag", shortId, "busybox").ok();
        } finally {
            berth.docker("rm", "-f", container).ok();
        }
        assertThat(berth.docker("rmi", "busybox").ok()).contains("Untagged: busybox:latest").contains("Deleted: " + id);
        assertThat(berth.docker("load", "-i", BerthDaemon.busyboxArchive().toString()).ok()).contains("Loaded image: busybox:latest");
        assertThat(busyboxId()).isEqualTo(id);
    }

    @Test
    @Order(9)
    void removingTheLastTagDeletesImageAndLayers() throws Exception {
        String id = busyboxId();
        String out = berth.docker("rmi", "busybox").ok();
        assertThat(out).contains("Untagged: busybox:latest").contains("Deleted: " + id);
        assertThat(berth.docker("images", "-q").ok()).isEmpty();
        Path image = berth.dataRoot().resolve("image");
        assertThat(filesUnderImageRoot()).allMatch(p -> Set.of("graph.db", "content", "content/blobs", "content/blobs/sha256",
                "content/ingest", "layers", "l", "snapshots").contains(p) || p.startsWith("graph.db"));
        assertThat(Files.list(image.resolve("layers")).count()).isZero();
    }

    private void refused(Path archive, String message) throws Exception {
        CliResult result = berth.docker("load", "-i", archive.toString());
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr() + result.stdout()).contains(message);
    }

    private static Set<String> filesUnderImageRoot() throws IOException {
        Path root = berth.dataRoot().resolve("image");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("graph.db-")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A raw HTTP/1.0 POST over the unix socket, for what the CLI validates before sending. */
    private static String rawPost(String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(berth.socket()));
            channel.write(ByteBuffer.wrap(("POST " + path + " HTTP/1.0\r\nHost: berth\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<String> tarNames(Path file) throws Exception {
        return List.of(berth.shell("tar tf " + file).ok().split("\n"));
    }

    private record Entry(String name, byte[] data, String symlinkTarget) {
    }

    private static byte[] archive(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                TarArchiveEntry entry = e.symlinkTarget() != null
                        ? new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK, true)
                        : new TarArchiveEntry(e.name(), TarConstants.LF_NORMAL, true);
                if (e.symlinkTarget() != null) {
                    entry.setLinkName(e.symlinkTarget());
                } else {
                    entry.setSize(e.data().length);
                }
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                if (e.data() != null) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A docker-archive (Docker 25 layout) of one image whose only layer is the given tar. */
    private static byte[] image(byte[] layer) throws Exception {
        String diff = sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
                + "[\"sha256:" + diff + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configHex = sha256(config);
        byte[] manifest = ("[{\"Config\":\"blobs/sha256/" + configHex + "\",\"RepoTags\":[\"evil:latest\"],\"Layers\":"
                + "[\"blobs/sha256/" + diff + "\"]}]").getBytes(StandardCharsets.UTF_8);
        return archive(List.of(new Entry("blobs/sha256/" + diff, layer, null), new Entry("blobs/sha256/" + configHex, config, null),
                new Entry("manifest.json", manifest, null)));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
