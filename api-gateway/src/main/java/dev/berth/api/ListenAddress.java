package dev.berth.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where the API listens: a unix socket path or a TCP host and port, from dockerd's -H syntax. */
public record ListenAddress(String unixPath, String host, int port) {
    public static final int DEFAULT_TCP_PORT = 2375;

    public static ListenAddress parse(String value) {
        if (value.startsWith("unix://")) {
            String path = value.substring("unix://".length());
            if (path.isEmpty() || !path.startsWith("/")) {
                throw new IllegalArgumentException("unix socket address needs an absolute path: " + value);
            }
            return new ListenAddress(path, null, 0);
        }
        if (value.startsWith("tcp://")) {
            String rest = value.substring("tcp://".length());
            int colon = rest.lastIndexOf(':');
            String host = colon < 0 ? rest : rest.substring(0, colon);
            int port = DEFAULT_TCP_PORT;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid port in " + value, e);
                }
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new ListenAddress(null, host, port);
        }
        if (value.startsWith("/")) {
            return new ListenAddress(value, null, 0);
        }
        throw new IllegalArgumentException("unsupported listen address " + value + " (use unix:///path or tcp://host:port)");
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    /** TCP on anything but loopback exposes root on the host; it needs TLS with client certificates. */
    public boolean isLoopback() {
        if (isUnix()) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return isUnix() ? "unix://" + unixPath : "tcp://" + host + ":" + port;
    }
}
