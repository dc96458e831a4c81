package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * --add-host entries: "name:address" (or "name=address"), checked at create as dockerd checks
 * them; the special address host-gateway is the host as the container reaches it, its network's
 * gateway (127.0.0.1 with the host's network).
 */
final class ExtraHosts {
    static final String HOST_GATEWAY = "host-gateway";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private ExtraHosts() {
    }

    /** INVALID_ARGUMENT for an entry dockerd would refuse. */
    static void check(List<String> entries) {
        if (entries == null) {
            return;
        }
        for (String entry : entries) {
            String[] parts = split(entry);
            if (parts == null || !NAME.matcher(parts[0]).matches()) {
                throw EngineException.invalid("invalid extra host: " + entry + " (name:address)");
            }
            String address = parts[1];
            if (!address.equals(HOST_GATEWAY) && !IPV4.matcher(address).matches() && !isIpv6(address)) {
                throw EngineException.invalid("invalid IP address in add-host: \"" + address + "\"");
            }
        }
    }

    /** The entries as "name:address" with host-gateway replaced. */
    static List<String> resolve(List<String> entries, boolean hostNetwork, List<Endpoint> endpoints) {
        List<String> resolved = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = split(entry);
            String address = parts[1];
            if (address.equals(HOST_GATEWAY)) {
                if (hostNetwork) {
                    address = "127.0.0.1";
                } else if (!endpoints.isEmpty()) {
                    address = endpoints.get(0).gateway();
                } else {
                    throw EngineException.invalid("--add-host " + entry + ": host-gateway needs a network with a gateway");
                }
            }
            resolved.add(parts[0] + ":" + address);
        }
        return resolved;
    }

    private static String[] split(String entry) {
        int at = entry.indexOf('=') > 0 ? entry.indexOf('=') : entry.indexOf(':');
        if (at <= 0 || at == entry.length() - 1) {
            return null;
        }
        String address = entry.substring(at + 1);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return new String[] {entry.substring(0, at), address};
    }

    private static boolean isIpv6(String address) {
        return address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
    }
}
