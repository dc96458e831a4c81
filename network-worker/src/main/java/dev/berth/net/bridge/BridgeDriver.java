package dev.berth.net.bridge;

import dev.berth.bus.contract.network.PublishedPort;
import dev.berth.host.NetworkLinks;
import dev.berth.net.sandbox.SpareSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The default bridge on the host, done natively rather than with the CNI bridge plugin: the
 * bridge, its NAT and forwarding rules are set once per bridge when the worker starts (ip and
 * iptables-restore), so that attaching a container costs one rtnetlink request and a few ioctls
 * in the daemon instead of three plugin processes that each run iptables, and a published port
 * one iptables-restore run (see docs/design.md, "Networking").
 *
 * <p>Every rule carries the comment {@code berth:<bridge>} so that a restart, or a test
 * harness, finds exactly its own rules among those of other daemons.
 */
public final class BridgeDriver {
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private final BridgeSettings settings;
    private final HostCommands commands;
    private final NetworkLinks links;
    private final boolean internal;

    public BridgeDriver(BridgeSettings settings, HostCommands commands, NetworkLinks links) {
        this(settings, commands, links, false);
    }

    /** An internal network (docker network create --internal) reaches nothing beyond its bridge. */
    public BridgeDriver(BridgeSettings settings, HostCommands commands, NetworkLinks links, boolean internal) {
        this.settings = settings;
        this.commands = commands;
        this.links = links;
        this.internal = internal;
    }

    public BridgeSettings settings() {
        return settings;
    }

    public String natChain() {
        return "BERTH-" + settings.bridgeName();
    }

    public String ruleComment() {
        return "berth:" + settings.bridgeName();
    }

    /** The IPv4 address (with prefix) a bridge device has now, if it exists and has one. */
    public static Optional<String> existingAddress(HostCommands commands, String bridgeName) throws IOException {
        if (!Files.isDirectory(SYS_NET.resolve(bridgeName))) {
            return Optional.empty();
        }
        String out = commands.run(List.of("ip", "-o", "-4", "addr", "show", "dev", bridgeName), null);
        for (String line : out.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet")) {
                    return Optional.of(words[i + 1]);
                }
            }
        }
        return Optional.empty();
    }

    /** The subnets of the host's IPv4 routes, which a new bridge must not overlap. */
    public static List<Ipv4Subnet> hostRoutes(HostCommands commands) throws IOException {
        List<Ipv4Subnet> routes = new ArrayList<>();
        for (String line : commands.run(List.of("ip", "-4", "route", "show", "table", "all"), null).split("\n")) {
            String[] words = line.trim().split("\\s+");
            int at = words.length > 0 && (words[0].equals("local") || words[0].equals("broadcast") || words[0].equals("unicast")) ? 1 : 0;
            if (words.length <= at || words[at].equals("default") || !Character.isDigit(words[at].charAt(0))) {
                continue;
            }
            String destination = words[at].contains("/") ? words[at] : words[at] + "/32";
            routes.add(Ipv4Subnet.parse(destination));
        }
        return routes;
    }

    /**
     * Makes the bridge if it is missing, gives it its address, turns forwarding on and installs
     * the rules of the bridge afresh: MASQUERADE for traffic leaving the subnet, forwarding to
     * and from the bridge, and the chain that published ports' DNAT rules go into.
     */
    public void install() throws IOException {
        String bridge = settings.bridgeName();
        String cidr = settings.gatewayAddress() + "/" + settings.subnet().prefixLength();
        StringBuilder batch = new StringBuilder();
        if (!Files.isDirectory(SYS_NET.resolve(bridge))) {
            batch.append("link add ").append(bridge).append(" type bridge\n");
        }
        batch.append("addr replace ").append(cidr).append(" dev ").append(bridge).append('\n');
        batch.append("link set ").append(bridge).append(" up\n");
        commands.run(List.of("ip", "-batch", "-"), batch.toString());
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        // DNAT of 127.0.0.1 to a container needs the kernel to route a loopback source out of the bridge.
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
        removeRules();
        commands.run(List.of("iptables-restore", "--noflush"), rules());
    }

    private String rules() {
        String bridge = settings.bridgeName();
        String subnet = settings.subnet().toString();
        String tag = " -m comment --comment " + ruleComment();
        if (internal) {
            return "*nat\n:" + natChain() + " - [0:0]\nCOMMIT\n"
                    + "*filter\n"
                    + "-I FORWARD -i " + bridge + " ! -o " + bridge + tag + " -j DROP\n"
                    + "-I FORWARD -o " + bridge + " ! -i " + bridge + tag + " -j DROP\n"
                    + "-I FORWARD -i " + bridge + " -o " + bridge + tag + " -j ACCEPT\n"
                    + "COMMIT\n";
        }
        return "*nat\n"
                + ":" + natChain() + " - [0:0]\n"
                + "-A POSTROUTING -s " + subnet + " ! -o " + bridge + tag + " -j MASQUERADE\n"
                // Only loopback sources: a container cannot answer 127.0.0.1. The host's other
                // addresses stay as they are; masquerading them too put their connections and
                // 127.0.0.1's on the same gateway address, where a new SYN meets the container's
                // TIME_WAIT of the other with another timestamp clock and waits a second.
                + "-A POSTROUTING -s 127.0.0.0/8 -o " + bridge + tag + " -j MASQUERADE\n"
                + "-A POSTROUTING -s " + subnet + " -o " + bridge + " -m conntrack --ctstate DNAT" + tag + " -j MASQUERADE\n"
                + "-A PREROUTING -m addrtype --dst-type LOCAL" + tag + " -j " + natChain() + "\n"
                + "-A OUTPUT -m addrtype --dst-type LOCAL" + tag + " -j " + natChain() + "\n"
                + "COMMIT\n"
                + "*filter\n"
                + "-I FORWARD -i " + bridge + tag + " -j ACCEPT\n"
                + "-I FORWARD -o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED" + tag + " -j ACCEPT\n"
                + "-I FORWARD -o " + bridge + " -m conntrack --ctstate DNAT" + tag + " -j ACCEPT\n"
                + "COMMIT\n";
    }

    /** Removes the rules and the bridge device: the network is being removed. */
    public void teardown() throws IOException {
        removeRules();
        if (Files.isDirectory(SYS_NET.resolve(settings.bridgeName()))) {
            links.delete(settings.bridgeName());
        }
    }

    /**
     * Deletes this bridge's rules and its NAT chain; the bridge itself stays, as docker0 does.
     * The chain goes in a second run: iptables-nft refuses to delete a chain in the transaction
     * that removes the last jump to it.
     */
    public void removeRules() throws IOException {
        StringBuilder deletes = new StringBuilder();
        boolean chainExists = false;
        String table = null;
        for (String line : commands.run(List.of("iptables-save"), null).split("\n")) {
            if (line.startsWith("*")) {
                table = line;
            } else if (line.startsWith(":" + natChain() + " ")) {
                chainExists = true;
            } else if (line.startsWith("-A ") && isTagged(line) && !line.startsWith("-A " + natChain() + " ")) {
                deletes.append(table).append('\n').append("-D ").append(line.substring(3)).append("\nCOMMIT\n");
            }
        }
        if (deletes.length() > 0) {
            commands.run(List.of("iptables-restore", "--noflush"), deletes.toString());
        }
        if (chainExists) {
            commands.run(List.of("iptables-restore", "--noflush"), "*nat\n-F " + natChain() + "\n-X " + natChain() + "\nCOMMIT\n");
        }
    }

    /** iptables-save quotes comments that hold a ':'; older versions did not. */
    private boolean isTagged(String savedRule) {
        return savedRule.contains("--comment \"" + ruleComment() + "\"") || savedRule.contains("--comment " + ruleComment() + " ");
    }

    /**
     * Puts a veth pair between the bridge and the namespace: {@code insideName} with the
     * address, the MAC and, when asked and the network is not internal, a default route through
     * the bridge. Native (rtnetlink and ioctls): no process.
     */
    public void attach(Path netns, String hostVeth, String insideName, String ipAddress, String macAddress, boolean defaultRoute)
            throws IOException {
        links.addContainerVeth(hostVeth, settings.bridgeName(), netns, insideName, macAddress, ipAddress,
                settings.subnet().prefixLength(), internal || !defaultRoute ? null : settings.gatewayAddress());
    }

    /** The same with a spare sandbox's veth, made ahead of time: renamed, plugged into the bridge and configured. */
    public void attachSpare(SpareSandbox spare, String hostVeth, String ipAddress, String macAddress, boolean defaultRoute)
            throws IOException {
        spare.plugIn(hostVeth, settings.bridgeName(), macAddress, ipAddress, settings.subnet().prefixLength(),
                internal || !defaultRoute ? null : settings.gatewayAddress());
    }

    /**
     * DNAT rules for the published ports, in the bridge's chain, which PREROUTING and OUTPUT
     * jump to for the host's own addresses (127.0.0.1 included): one iptables-restore run.
     */
    public void publish(String containerId, String ipAddress, List<PublishedPort> ports) throws IOException {
        if (!ports.isEmpty()) {
            commands.run(List.of("iptables-restore", "--noflush"), portRules("-A", containerId, ipAddress, ports));
        }
    }

    /**
     * Lets the bridge send a frame back out of the port it came in on, for a container that
     * reaches its own published port through a host address: with br_netfilter the DNAT is done
     * while bridging, and the rewritten frame leaves by the veth it arrived on. Only containers
     * with published ports need it, and only they get it: hairpin also reflects a container's own
     * broadcasts back to it.
     */
    public void enableHairpin(String hostVeth) throws IOException {
        Files.writeString(SYS_NET.resolve(hostVeth).resolve("brport").resolve("hairpin_mode"), "1");
    }

    /** Deletes the rules {@link #publish} made; rules already gone are not an error. */
    public void unpublish(String containerId, String ipAddress, List<PublishedPort> ports) throws IOException {
        if (ports.isEmpty()) {
            return;
        }
        try {
            commands.run(List.of("iptables-restore", "--noflush"), portRules("-D", containerId, ipAddress, ports));
        } catch (IOException e) {
            String tag = "--comment \"" + ruleComment() + ":" + containerId.substring(0, 12) + "\"";
            if (commands.run(List.of("iptables-save", "-t", "nat"), null).contains(tag)) {
                throw e;
            }
        }
    }

    private String portRules(String action, String containerId, String ipAddress, List<PublishedPort> ports) {
        StringBuilder rules = new StringBuilder("*nat\n");
        for (PublishedPort port : ports) {
            rules.append(action).append(' ').append(natChain());
            if (!port.hostIp().equals("0.0.0.0")) {
                rules.append(" -d ").append(port.hostIp()).append("/32");
            }
            rules.append(" -p ").append(port.protocol()).append(" -m ").append(port.protocol())
                    .append(" --dport ").append(port.hostPort())
                    .append(" -m comment --comment ").append(ruleComment()).append(':').append(containerId, 0, 12)
                    .append(" -j DNAT --to-destination ").append(ipAddress).append(':').append(port.containerPort()).append('\n');
        }
        return rules.append("COMMIT\n").toString();
    }

    /** Deletes a veth pair by its host end; one already gone (with its namespace) is not an error. */
    public void detach(String hostVeth) throws IOException {
        if (Files.exists(SYS_NET.resolve(hostVeth))) {
            links.delete(hostVeth);
        }
    }

    /** The host ends of the veths on the bridge now. */
    public List<String> attachedInterfaces() throws IOException {
        Path ports = SYS_NET.resolve(settings.bridgeName()).resolve("brif");
        if (!Files.isDirectory(ports)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(ports)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
