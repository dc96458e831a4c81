package dev.berth.exec.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-container /etc/hostname, /etc/hosts and /etc/resolv.conf, kept beside the container's
 * log and bound into it at start, as dockerd does.
 */
public final class HostFiles {
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final Path HOST_HOSTS = Path.of("/etc/hosts");
    private static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    private HostFiles() {
    }

    /**
     * @param addresses the container's own addresses, each listed with its host name in
     *     /etc/hosts as dockerd does
     */
    public static void write(Path stateDir, String hostname, boolean hostNetwork, List<String> dns, List<String> addresses)
            throws IOException {
        Files.createDirectories(stateDir);
        atomicWrite(stateDir.resolve("hostname"), hostname + "\n");
        if (hostNetwork) {
            atomicWrite(stateDir.resolve("hosts"), readOr(HOST_HOSTS, localhostOnly()));
            atomicWrite(stateDir.resolve("resolv.conf"), readOr(HOST_RESOLV_CONF, ""));
        } else {
            StringBuilder hosts = new StringBuilder(localhostOnly());
            for (String address : addresses) {
                hosts.append(address).append('\t').append(hostname).append('\n');
            }
            atomicWrite(stateDir.resolve("hosts"), hosts.toString());
            atomicWrite(stateDir.resolve("resolv.conf"), containerResolvConf(readOr(HOST_RESOLV_CONF, ""), dns));
        }
    }

    private static String localhostOnly() {
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
    }

    /** The host's resolver settings without loopback name servers, which are unreachable from a container. */
    static String containerResolvConf(String host, List<String> dns) {
        List<String> lines = new ArrayList<>();
        boolean hasNameserver = false;
        for (String line : host.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("nameserver")) {
                String address = trimmed.substring("nameserver".length()).trim();
                if (address.startsWith("127.") || address.equals("::1") || !dns.isEmpty()) {
                    continue;
                }
                hasNameserver = true;
            }
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        for (String server : dns) {
            lines.add("nameserver " + server);
            hasNameserver = true;
        }
        if (!hasNameserver) {
            for (String server : FALLBACK_NAMESERVERS) {
                lines.add("nameserver " + server);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
    }

    private static void atomicWrite(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
