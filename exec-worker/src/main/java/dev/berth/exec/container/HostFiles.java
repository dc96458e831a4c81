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
        write(stateDir, new Content(hostname, hostNetwork, dns, List.of(), List.of(), addresses, List.of()));
    }

    /**
     * What goes into the three files.
     *
     * @param dnsSearch --dns-search: replaces the host's search domains ("." for none)
     * @param dnsOptions --dns-option: replaces the host's resolver options
     * @param extraHosts --add-host entries as "name:address", the address already resolved
     *     (host-gateway replaced)
     */
    public record Content(String hostname, boolean hostNetwork, List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
            List<String> addresses, List<String> extraHosts) {
    }

    public static void write(Path stateDir, Content content) throws IOException {
        Files.createDirectories(stateDir);
        atomicWrite(stateDir.resolve("hostname"), content.hostname() + "\n");
        StringBuilder extra = new StringBuilder();
        for (String entry : content.extraHosts()) {
            int colon = entry.indexOf(':');
            extra.append(entry.substring(colon + 1)).append('\t').append(entry, 0, colon).append('\n');
        }
        if (content.hostNetwork()) {
            atomicWrite(stateDir.resolve("hosts"), readOr(HOST_HOSTS, localhostOnly()) + extra);
            atomicWrite(stateDir.resolve("resolv.conf"), readOr(HOST_RESOLV_CONF, ""));
        } else {
            StringBuilder hosts = new StringBuilder(localhostOnly()).append(extra);
            for (String address : content.addresses()) {
                hosts.append(address).append('\t').append(content.hostname()).append('\n');
            }
            atomicWrite(stateDir.resolve("hosts"), hosts.toString());
            atomicWrite(stateDir.resolve("resolv.conf"),
                    containerResolvConf(readOr(HOST_RESOLV_CONF, ""), content.dns(), content.dnsSearch(), content.dnsOptions()));
        }
    }

    /**
     * docker network connect/disconnect of a running container: its own addresses in /etc/hosts
     * change (entries of {@code before} go, those of {@code after} come, as dockerd adds and
     * deletes them), and resolv.conf is written again for the name servers of its networks. Both
     * are written in place: the running container has them bound by inode.
     */
    public static void rewriteForNetworks(Path stateDir, String hostname, List<String> before, List<String> after, List<String> dns,
            List<String> dnsSearch, List<String> dnsOptions) throws IOException {
        Path hostsFile = stateDir.resolve("hosts");
        StringBuilder hosts = new StringBuilder();
        for (String line : Files.readString(hostsFile, StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            boolean own = fields.length == 2 && fields[1].equals(hostname) && before.contains(fields[0]);
            if (!own && !line.isEmpty()) {
                hosts.append(line).append('\n');
            }
        }
        for (String address : after) {
            hosts.append(address).append('\t').append(hostname).append('\n');
        }
        writeInPlace(hostsFile, hosts.toString());
        writeInPlace(stateDir.resolve("resolv.conf"), containerResolvConf(readOr(HOST_RESOLV_CONF, ""), dns, dnsSearch, dnsOptions));
    }

    private static void writeInPlace(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
    }

    private static String localhostOnly() {
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
    }

    /** The host's resolver settings without loopback name servers, which are unreachable from a container. */
    static String containerResolvConf(String host, List<String> dns) {
        return containerResolvConf(host, dns, List.of(), List.of());
    }

    static String containerResolvConf(String host, List<String> dns, List<String> search, List<String> options) {
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
            if (!search.isEmpty() && (trimmed.startsWith("search") || trimmed.startsWith("domain"))
                    || !options.isEmpty() && trimmed.startsWith("options")) {
                continue;
            }
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        if (!search.isEmpty() && !search.equals(List.of("."))) {
            lines.add("search " + String.join(" ", search));
        }
        if (!options.isEmpty()) {
            lines.add("options " + String.join(" ", options));
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
