package dev.berth.it;

import dev.berth.host.Mounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real berthd in its own process, on a socket and data and exec roots of its own under /tmp,
 * driven with the real docker CLI. {@link #close()} removes every container through the API,
 * stops the daemon, and then fails the test if anything was left behind (mounts, conmon
 * processes, runtime state), after cleaning it up.
 */
public final class BerthDaemon implements AutoCloseable {
    /** The docker CLI the tests drive: 28.2.2 at /usr/local/bin/docker here, else the one on PATH. */
    public static final String DOCKER = System.getenv().getOrDefault("BERTH_DOCKER_CLI",
            Files.isExecutable(Path.of("/usr/local/bin/docker")) ? "/usr/local/bin/docker" : "docker");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static Path busyboxArchive;

    private final Path root;
    private final Path socket;
    private final Path dataRoot;
    private final Path execRoot;
    private final Path logFile;
    private final String nodeName;
    private final List<String> extraArgs;
    private final String bridge;
    private final String bip;
    private Process process;

    private BerthDaemon(Path root, List<String> extraArgs) {
        this.root = root;
        this.socket = root.resolve("berth.sock");
        this.dataRoot = root.resolve("data");
        this.execRoot = root.resolve("exec");
        this.logFile = root.resolve("berthd.log");
        this.nodeName = "it-" + root.getFileName().toString().substring("berth-it-".length());
        this.extraArgs = List.copyOf(extraArgs);
        // Daemons of parallel tests and helpers share the host: each gets a bridge and subnet of its own.
        this.bridge = "bt" + root.getFileName().toString().substring("berth-it-".length());
        this.bip = freeBridgeAddress();
    }

    /** A 10.x.y.1/24 that no route of the host overlaps, so that no other bridge or link uses it. */
    static String freeBridgeAddress() {
        java.util.Random random = new java.util.Random();
        String routes;
        try {
            Process ip = new ProcessBuilder("ip", "-4", "route", "show", "table", "all").redirectErrorStream(true).start();
            routes = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ip.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        while (true) {
            long candidate = (10L << 24) | (long) (100 + random.nextInt(150)) << 16 | (long) random.nextInt(256) << 8;
            if (routes.lines().noneMatch(route -> overlaps(route, candidate))) {
                return (candidate >> 24) + "." + (candidate >> 16 & 255) + "." + (candidate >> 8 & 255) + ".1/24";
            }
        }
    }

    /** Whether the destination of a line of `ip route` overlaps the /24 at candidate. */
    private static boolean overlaps(String route, long candidate) {
        String[] words = route.trim().split("\\s+");
        int at = words.length > 1 && List.of("local", "broadcast", "unicast").contains(words[0]) ? 1 : 0;
        if (words.length == 0 || words[at].isEmpty() || !Character.isDigit(words[at].charAt(0))) {
            return false;
        }
        String[] cidr = (words[at].contains("/") ? words[at] : words[at] + "/32").split("/");
        long address = 0;
        for (String octet : cidr[0].split("\\.")) {
            address = address << 8 | Long.parseLong(octet);
        }
        if (Integer.parseInt(cidr[1]) == 0) {
            return false;
        }
        int length = Math.min(24, Integer.parseInt(cidr[1]));
        long mask = length == 0 ? 0 : 0xffffffffL << (32 - length) & 0xffffffffL;
        return (address & mask) == (candidate & mask);
    }

    /** The default bridge's address with its prefix (--bip), unique to this daemon. */
    public String bip() {
        return bip;
    }

    /** The default bridge's device, unique to this daemon. */
    public String bridge() {
        return bridge;
    }

    public static BerthDaemon start(String... extraArgs) throws Exception {
        Path root = Files.createDirectories(Path.of("/tmp", "berth-it-" + UUID.randomUUID().toString().substring(0, 8)));
        BerthDaemon daemon = new BerthDaemon(root, List.of(extraArgs));
        daemon.launch();
        return daemon;
    }

    /** A daemon started with this daemon.json (instead of an empty one) and these flags. */
    public static BerthDaemon startWithConfig(String daemonJson, String... extraArgs) throws Exception {
        Path root = Files.createDirectories(Path.of("/tmp", "berth-it-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.writeString(root.resolve("daemon.json"), daemonJson);
        BerthDaemon daemon = new BerthDaemon(root, List.of(extraArgs));
        daemon.launch();
        return daemon;
    }

    public Path root() {
        return root;
    }

    public Path socket() {
        return socket;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path execRoot() {
        return execRoot;
    }

    public String dockerHost() {
        return "unix://" + socket;
    }

    /** Each test daemon has its own cgroup parent, so leftovers are easy to find. */
    public String cgroupParent() {
        return "/" + root.getFileName();
    }

    public long pid() {
        return process.pid();
    }

    private void launch() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                "dev.berth.deploy.Berthd", "-H", dockerHost(), "--data-root", dataRoot.toString(),
                "--exec-root", execRoot.toString(), "--pidfile", root.resolve("berthd.pid").toString(),
                "--node-name", nodeName, "--config-file", writeEmptyConfig().toString(),
                "--cgroup-parent", cgroupParent()));
        if (!extraArgs.contains("--bridge") && !extraArgs.contains("--bip")) {
            command.addAll(List.of("--bridge", bridge, "--bip", bip));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!pingOk()) {
            if (!process.isAlive()) {
                throw new AssertionError("berthd exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("berthd did not answer /_ping within 60 s:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    private Path writeEmptyConfig() throws IOException {
        Path config = root.resolve("daemon.json");
        if (!Files.exists(config)) {
            Files.writeString(config, "{}\n");
        }
        return config;
    }

    /** A raw HTTP/1.0 GET over the unix socket, so readiness does not depend on the CLI. */
    public String rawGet(String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: berth\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    break;
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    /** A raw HTTP/1.1 POST over the unix socket, for requests the CLI would never send. */
    public String rawPost(String path, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String head = "POST " + path + " HTTP/1.1\r\nHost: berth\r\nConnection: close\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            channel.write(ByteBuffer.wrap(bytes));
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) >= 0 && buffer.hasRemaining()) {
                // read until the server closes
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Any raw HTTP/1.1 request over the unix socket: a method, a path sent as is (no encoding),
     * and an optional body with its content type. Returns the whole response, or "" when the
     * daemon closed the connection without one.
     */
    public String rawRequest(String method, String path, String contentType, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headBytes.length + (body == null ? 0 : body.length)];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        if (body != null) {
            System.arraycopy(body, 0, request, headBytes.length, body.length);
        }
        return rawExchange(request);
    }

    /** Sends bytes as they are (a request no HTTP client would write) and reads until the daemon closes. */
    public String rawExchange(byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) >= 0 && buffer.hasRemaining()) {
                // read until the server closes
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    private boolean pingOk() {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            return rawGet("/_ping").startsWith("HTTP/1.0 200") || rawGet("/_ping").startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public CliResult docker(String... args) throws Exception {
        return run(null, COMMAND_TIMEOUT, dockerCommand(args));
    }

    public CliResult dockerWithInput(byte[] input, String... args) throws Exception {
        return run(input, COMMAND_TIMEOUT, dockerCommand(args));
    }

    public CliResult dockerWithTimeout(Duration timeout, String... args) throws Exception {
        return run(null, timeout, dockerCommand(args));
    }

    /** Runs a shell pipeline with DOCKER_HOST pointing at this daemon. */
    /** Removes every container, running or not: what most tests do after each case. */
    public void removeAllContainers() throws Exception {
        String ids = docker("ps", "-aq").out();
        if (!ids.isEmpty()) {
            shell(DOCKER + " rm -f " + ids.replace('\n', ' ')).ok();
        }
    }

    public CliResult shell(String script) throws Exception {
        return run(null, COMMAND_TIMEOUT, List.of("/bin/bash", "-c", "set -o pipefail; " + script));
    }

    /**
     * Runs a docker command on a real pseudo-terminal of rows x cols (pty-drive.py), doing the
     * steps (JSON: resize the window or type, each once the output shows a text) on the way.
     * Its stdout is everything the terminal showed.
     */
    public CliResult dockerOnTerminal(int rows, int cols, String stepsJson, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3",
                Path.of(BerthDaemon.class.getResource("/pty-drive.py").toURI()).toString(),
                Integer.toString(rows), Integer.toString(cols), stepsJson, "--"));
        command.addAll(dockerCommand(args));
        return run(null, COMMAND_TIMEOUT, command);
    }

    /** Starts a docker command without waiting for it. */
    public Process dockerProcess(String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(dockerCommand(args));
        environment(builder.environment());
        return builder.start();
    }

    private List<String> dockerCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(DOCKER);
        command.addAll(List.of(args));
        return command;
    }

    private void environment(Map<String, String> env) {
        env.put("DOCKER_HOST", dockerHost());
        env.put("DOCKER_CONFIG", root.resolve("docker-config").toString());
        env.remove("DOCKER_API_VERSION");
        env.remove("DOCKER_CONTEXT");
        env.put("BERTH_REPO", repo().toString());
    }

    private CliResult run(byte[] input, Duration timeout, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        environment(builder.environment());
        Process child = builder.start();
        CompletableFuture<String> out = readAsync(child.getInputStream());
        CompletableFuture<String> err = readAsync(child.getErrorStream());
        try (OutputStream stdin = child.getOutputStream()) {
            if (input != null) {
                stdin.write(input);
            }
        } catch (IOException ignored) {
            // The command may exit before reading its input.
        }
        if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("`" + String.join(" ", command) + "` did not finish within " + timeout
                    + "\nstdout so far: " + out.getNow("") + "\ndaemon log:\n" + tail(log(), 60));
        }
        return new CliResult(child.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS),
                String.join(" ", command));
    }

    /** A read that fails fails the command's result: an empty output must mean the CLI printed nothing. */
    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** prefix with a random suffix: a name no other test (nor a leftover of an earlier run) is using. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** The repository root: the nearest directory above the build that holds deploy/bin/mkimage. */
    public static Path repo() {
        Path candidate = Path.of(System.getProperty("berth.repo", ".")).toAbsolutePath().normalize();
        for (Path dir = candidate; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("deploy/bin/mkimage"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository (deploy/bin/mkimage) above " + candidate);
    }

    /** A docker-archive of busybox from deploy/bin/mkimage, made once per test JVM. */
    public static synchronized Path busyboxArchive() throws Exception {
        if (busyboxArchive == null) {
            Path archive = Files.createTempFile("berth-it-busybox", ".tar");
            archive.toFile().deleteOnExit();
            Process mkimage = new ProcessBuilder(repo().resolve("deploy/bin/mkimage").toString(), "busybox")
                    .redirectOutput(archive.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (mkimage.waitFor() != 0) {
                throw new AssertionError("mkimage failed");
            }
            busyboxArchive = archive;
        }
        return busyboxArchive;
    }

    public void loadBusybox() throws Exception {
        docker("load", "-i", busyboxArchive().toString()).ok();
    }

    /**
     * How long a released veth may take to go: the network worker deletes the veths of removed
     * sandboxes in the background, after the removal has answered (the kernel takes tens of ms
     * per device), and before it stops.
     */
    public static final Duration VETH_DELETION = Duration.ofSeconds(10);

    /** Stops berthd with SIGTERM, as a service manager would; containers keep running. */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("berthd did not stop within 30 s of SIGTERM");
            }
        }
    }

    /** Kills berthd with SIGKILL, as a crash would. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts berthd again on the same roots. */
    public void restart() throws Exception {
        launch();
    }

    @Override
    public void close() throws Exception {
        List<String> leaks = new ArrayList<>();
        try {
            if (process != null && process.isAlive()) {
                CliResult ids = docker("ps", "-aq");
                if (ids.exitCode() == 0 && !ids.out().isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(List.of(ids.out().split("\\s+")));
                    docker(rm.toArray(new String[0]));
                }
                // User networks are test state like containers: their bridges and rules must go too.
                docker("network", "prune", "-f");
                stop();
            }
        } finally {
            leaks.addAll(cleanUpLeftovers());
            deleteTree(root);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the test left things behind (now cleaned up): " + leaks);
        }
    }

    /**
     * Veths still on the bridge and per-container rules still in the bridge's NAT chain are
     * leaks; the bridge itself and its per-bridge rules are what a daemon keeps (as dockerd keeps
     * docker0), and are removed here so that test runs leave nothing on the host.
     */
    private List<String> cleanUpNetwork() throws Exception {
        List<String> leaks = new ArrayList<>();
        Path ports = Path.of("/sys/class/net", bridge, "brif");
        if (Files.isDirectory(ports)) {
            try (Stream<Path> veths = Files.list(ports)) {
                veths.forEach(veth -> leaks.add("veth " + veth.getFileName()));
            }
        }
        String comment = "--comment \"berth:" + bridge + "\"";
        String chain = "BERTH-" + bridge;
        StringBuilder deletes = new StringBuilder();
        String table = null;
        boolean chainExists = false;
        for (String line : host("iptables-save").split("\n")) {
            if (line.startsWith("*")) {
                table = line;
            } else if (line.startsWith(":" + chain + " ")) {
                chainExists = true;
            } else if (line.startsWith("-A " + chain + " ")) {
                leaks.add("iptables rule " + line);
            } else if (line.startsWith("-A ") && line.contains(comment)) {
                deletes.append(table).append("\n-D ").append(line.substring(3)).append("\nCOMMIT\n");
            }
        }
        // The chain in a second run: iptables-nft refuses to delete it in the transaction that drops the jumps to it.
        String chainDelete = chainExists ? "*nat\n-F " + chain + "\n-X " + chain + "\nCOMMIT\n" : "";
        for (String batch : List.of(deletes.toString(), chainDelete)) {
            if (batch.isEmpty()) {
                continue;
            }
            Process restore = new ProcessBuilder("iptables-restore", "--noflush").redirectErrorStream(true).start();
            try (OutputStream in = restore.getOutputStream()) {
                in.write(batch.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (restore.waitFor() != 0) {
                leaks.add("iptables rules that could not be removed: " + out);
            }
        }
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            host("ip", "link", "del", bridge);
        }
        return leaks;
    }

    /** A host command's standard output (and error). */
    public static String host(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private List<String> cleanUpLeftovers() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (ProcessHandle handle : ProcessHandle.allProcesses().toList()) {
            String cmdline = cmdline(handle.pid());
            if (cmdline.contains(root.toString()) && handle.pid() != ProcessHandle.current().pid()
                    && (cmdline.startsWith("/usr/bin/conmon") || cmdline.contains("conmon"))) {
                leaks.add("conmon " + handle.pid());
                handle.destroyForcibly();
            }
        }
        Path runcRoot = execRoot.resolve("runc");
        if (Files.isDirectory(runcRoot)) {
            try (Stream<Path> states = Files.list(runcRoot)) {
                for (Path state : states.toList()) {
                    leaks.add("runc container " + state.getFileName());
                    new ProcessBuilder("runc", "--root", runcRoot.toString(), "delete", "--force", state.getFileName().toString())
                            .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path parent = controller.resolve(cgroupParent().substring(1));
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> children = Files.list(parent)) {
                        for (Path child : children.filter(Files::isDirectory).toList()) {
                            leaks.add("cgroup " + child);
                            Files.deleteIfExists(child);
                        }
                    }
                    Files.deleteIfExists(parent);
                }
            }
        }
        leaks.addAll(cleanUpNetwork());
        Mounts mounts = Mounts.linux();
        for (Path mount : mounts.mountsUnder(root)) {
            leaks.add("mount " + mount);
            mounts.unmount(mount, Mounts.MNT_DETACH);
        }
        return leaks;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
