package dev.berth.graph.registry;

import dev.berth.bus.EngineException;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Where a registry named in a reference answers, and how to talk to it: its base URIs in the
 * order to try them, and an HTTP client whose TLS trusts the system's CAs plus the registry's own
 * ({@code <certs dir>/<host:port>/*.crt}). As with Docker, a registry on localhost, on
 * 127.0.0.0/8 or ::1, or listed in insecure-registries (by host:port or CIDR) is tried over
 * HTTPS without verification and then over plain HTTP; docker.io goes to its mirrors first.
 */
public final class RegistryHosts {
    private static final String DOCKER_HUB = "registry-1.docker.io";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /** One place a registry answers. */
    public record Endpoint(URI base, HttpClient http, boolean insecure) {
        public URI resolve(String path) {
            return URI.create(base.toString() + path);
        }
    }

    private final RegistryOptions options;
    private record Client(String fingerprint, HttpClient http) {
    }

    private final ConcurrentMap<String, Client> clients = new ConcurrentHashMap<>();
    /** The endpoint that last answered for a domain, tried first next time (no HTTPS probe per pull). */
    private final ConcurrentMap<String, URI> working = new ConcurrentHashMap<>();

    public RegistryHosts(RegistryOptions options) {
        this.options = options;
    }

    public RegistryOptions options() {
        return options;
    }

    /** The endpoints of a registry domain, the one that answered last time first. */
    public List<Endpoint> endpoints(String domain) {
        List<Endpoint> all = configuredEndpoints(domain);
        URI preferred = working.get(domain);
        if (preferred != null) {
            all.sort((a, b) -> Boolean.compare(!a.base().equals(preferred), !b.base().equals(preferred)));
        }
        return all;
    }

    /** Whether base is one of the mirrors configured for the domain (only docker.io has mirrors). */
    public boolean isMirror(String domain, URI base) {
        if (!domain.equals(Reference.DEFAULT_DOMAIN)) {
            return false;
        }
        for (String mirror : options.mirrors()) {
            if (mirrorBase(mirror).equals(base)) {
                return true;
            }
        }
        return false;
    }

    private static URI mirrorBase(String mirror) {
        return URI.create(mirror.endsWith("/") ? mirror.substring(0, mirror.length() - 1) : mirror);
    }

    /** Remembers the endpoint that answered for a domain. */
    void worked(String domain, Endpoint endpoint) {
        working.put(domain, endpoint.base());
    }

    /** The endpoints of a registry domain as a reference names it (docker.io, localhost:5000), in Docker's order. */
    private List<Endpoint> configuredEndpoints(String domain) {
        List<Endpoint> endpoints = new ArrayList<>();
        if (domain.equals(Reference.DEFAULT_DOMAIN)) {
            for (String mirror : options.mirrors()) {
                URI uri = mirrorBase(mirror);
                String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
                endpoints.add(new Endpoint(uri, client(hostPort, isInsecure(hostPort)), isInsecure(hostPort)));
            }
            endpoints.add(new Endpoint(URI.create("https://" + DOCKER_HUB), client(DOCKER_HUB, false), false));
            return endpoints;
        }
        boolean insecure = isInsecure(domain);
        endpoints.add(new Endpoint(URI.create("https://" + domain), client(domain, insecure), insecure));
        if (insecure) {
            endpoints.add(new Endpoint(URI.create("http://" + domain), client(domain, true), true));
        }
        return endpoints;
    }

    /** Docker's rule: loopback always, then the configured host:port names and CIDRs. */
    public boolean isInsecure(String domain) {
        String host = host(domain);
        if (host.equals("localhost")) {
            return true;
        }
        for (String entry : options.insecureRegistries()) {
            if (!entry.contains("/") && (entry.equals(domain) || entry.equals(host))) {
                return true;
            }
        }
        InetAddress address = literalAddress(host);
        if (address == null) {
            return false;
        }
        if (address.isLoopbackAddress()) {
            return true;
        }
        for (String entry : options.insecureRegistries()) {
            if (entry.contains("/") && inCidr(address, entry)) {
                return true;
            }
        }
        return false;
    }

    static String host(String domain) {
        if (domain.startsWith("[")) {
            return domain.substring(1, domain.indexOf(']'));
        }
        int colon = domain.lastIndexOf(':');
        return colon < 0 ? domain : domain.substring(0, colon);
    }

    /** The address a literal IP names; null for a host name (never looked up: a name is not a CIDR member). */
    private static InetAddress literalAddress(String host) {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean inCidr(InetAddress address, String cidr) {
        int slash = cidr.indexOf('/');
        InetAddress network = literalAddress(cidr.substring(0, slash));
        if (network == null || network.getAddress().length != address.getAddress().length) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        int length = address.getAddress().length * 8;
        if (bits < 0 || bits > length) {
            return false;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(length).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(length - bits).subtract(BigInteger.ONE));
        return new BigInteger(1, address.getAddress()).and(mask).equals(new BigInteger(1, network.getAddress()).and(mask));
    }

    /**
     * The client for a registry. A verifying one is made again when the registry's CA files
     * changed, so a ca.crt put in place takes effect at the next pull, as with dockerd (which
     * reads the directory for each pull), without keeping a client per version of the files.
     */
    private HttpClient client(String hostPort, boolean insecure) {
        String fingerprint = insecure ? "" : caFingerprint(hostPort);
        return clients.compute(hostPort + (insecure ? "#insecure" : ""), (key, known) -> known != null
                && known.fingerprint().equals(fingerprint) ? known : new Client(fingerprint, HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(hostPort, insecure))
                .build())).http();
    }

    /** The registry's CA files as names, sizes and modification times: what decides whether its client is stale. */
    private String caFingerprint(String hostPort) {
        StringBuilder fingerprint = new StringBuilder();
        for (Path dir : options.certsDirs()) {
            Path hostDir = dir.resolve(hostPort);
            if (!Files.isDirectory(hostDir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(hostDir, "*.crt")) {
                List<String> entries = new ArrayList<>();
                for (Path file : files) {
                    entries.add(file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
                }
                entries.stream().sorted().forEach(entry -> fingerprint.append(entry).append('\n'));
            } catch (IOException e) {
                fingerprint.append(hostDir).append(":unreadable\n");
            }
        }
        return fingerprint.toString();
    }

    private SSLContext sslContext(String hostPort, boolean insecure) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = insecure ? new TrustManager[] {new TrustingAnything()} : trustManagers(hostPort);
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw EngineException.invalid("cannot set up TLS for registry " + hostPort + ": " + e.getMessage());
        }
    }

    /** The JDK's CAs plus every *.crt in the registry's certs directories. */
    private TrustManager[] trustManagers(String hostPort) throws GeneralSecurityException, IOException {
        List<Certificate> extra = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Path dir : options.certsDirs()) {
            Path hostDir = dir.resolve(hostPort);
            if (!Files.isDirectory(hostDir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(hostDir, "*.crt")) {
                for (Path file : files) {
                    try (InputStream in = Files.newInputStream(file)) {
                        extra.addAll(factory.generateCertificates(in));
                    }
                }
            }
        }
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (extra.isEmpty()) {
            system.init((KeyStore) null);
            return system.getTrustManagers();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        int n = 0;
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate ca : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, ca);
                }
            }
        }
        for (Certificate ca : extra) {
            store.setCertificateEntry("registry-" + n++, ca);
        }
        system.init(store);
        return system.getTrustManagers();
    }

    /** For insecure registries only: Docker skips verification for them, and so does Berth. */
    private static final class TrustingAnything extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
