package dev.berth.net.sandbox;

import dev.berth.host.HeldNamespace;
import dev.berth.host.NetworkLinks;
import dev.berth.host.NetworkNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spare sandboxes for one bridge, made natively: a namespace held by descriptors (so that a
 * daemon that dies takes its spares with it) and a veth pair, the host end labelled
 * {@code berth-pool:<bridge>} so that a restart can find any the kernel has not deleted yet.
 */
public final class LinuxSpareSandboxes implements SandboxPool.Maker {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxSpareSandboxes.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Path SYS_NET = Path.of("/sys/class/net");
    private static final String INSIDE = "eth0";

    private final NetworkNamespaces namespaces;
    private final NetworkLinks links;
    private final String label;

    public LinuxSpareSandboxes(NetworkNamespaces namespaces, NetworkLinks links, String bridge) {
        this.namespaces = namespaces;
        this.links = links;
        this.label = labelOf(bridge);
    }

    static String labelOf(String bridge) {
        return "berth-pool:" + bridge;
    }

    @Override
    public SpareSandbox make() throws IOException {
        HeldNamespace held = namespaces.createHeld();
        // "vp" and 13 hex digits: 15 bytes, an interface name's most.
        byte[] random = new byte[7];
        RANDOM.nextBytes(random);
        String spareName = "vp" + HexFormat.of().formatHex(random).substring(0, 13);
        int index;
        try {
            index = links.addSpareVeth(spareName, label, held, INSIDE);
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
        return new Spare(held, spareName, index);
    }

    /**
     * Deletes the spares a daemon of this bridge left when it died (the kernel deletes them too,
     * with their namespaces, but not necessarily before the next start looks).
     */
    public static void deleteLeftovers(NetworkLinks links, String bridge) throws IOException {
        String label = labelOf(bridge);
        List<Path> interfaces;
        try (Stream<Path> all = Files.list(SYS_NET)) {
            interfaces = all.toList();
        }
        for (Path link : interfaces) {
            try {
                if (Files.readString(link.resolve("ifalias")).trim().equals(label)) {
                    LOG.info("deleting {}: a spare sandbox's veth left by an earlier run", link.getFileName());
                    links.delete(link.getFileName().toString());
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // Gone since the listing.
            }
        }
    }

    private final class Spare implements SpareSandbox {
        private final HeldNamespace held;
        private final String spareName;
        private final int index;

        Spare(HeldNamespace held, String spareName, int index) {
            this.held = held;
            this.spareName = spareName;
            this.index = index;
        }

        @Override
        public void pin(Path path) throws IOException {
            held.pin(path);
        }

        @Override
        public void plugIn(String hostVeth, String bridge, String mac, String address, int prefixLength, String gateway)
                throws IOException {
            links.plugIn(index, hostVeth, bridge, held, INSIDE, mac, address, prefixLength, gateway);
        }

        @Override
        public void close() {
            held.close();
        }

        @Override
        public void discard() {
            try {
                links.delete(spareName);
            } catch (IOException e) {
                LOG.warn("cannot delete spare veth {}: {}", spareName, e.toString());
            } finally {
                held.close();
            }
        }
    }
}
