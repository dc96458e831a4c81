package dev.berth.deploy;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** berthd's command line: dockerd's flags where they mean the same thing, plus Berth's own. */
@Command(name = "berthd", mixinStandardHelpOptions = true, version = "berthd " + dev.berth.api.EngineVersion.BERTH,
        description = "A container engine that speaks the Docker Engine API.")
final class DaemonFlags {
    @Option(names = {"-H", "--host"}, description = "Daemon socket(s) to listen on: unix:///path or tcp://127.0.0.1:2375")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--data-root", description = "Root of persisted state (default /var/lib/berth)")
    String dataRoot;

    @Option(names = {"-s", "--storage-driver"}, description = "How images and containers are stored: overlay2 (default)"
            + " or vfs (whole copies; chosen by itself where the kernel has no overlayfs)")
    String storageDriver;

    @Option(names = "--exec-root", description = "Root of runtime state (default /run/berth)")
    String execRoot;

    @Option(names = {"-p", "--pidfile"}, description = "Path of the daemon's PID file (default <exec-root>/berthd.pid)")
    String pidfile;

    @Option(names = "--config-file", description = "daemon.json to read (default /etc/berth/daemon.json when present)")
    String configFile;

    @Option(names = {"-D", "--debug"}, description = "Debug logging")
    Boolean debug;

    @Option(names = {"-l", "--log-level"}, description = "debug, info, warn, error or fatal")
    String logLevel;

    @Option(names = "--label", description = "Engine label key=value, shown by docker info")
    List<String> labels = new ArrayList<>();

    @Option(names = "--node-name", description = "This node's name in a cluster (default: the host name)")
    String nodeName;

    @Option(names = "--default-runtime", description = "Path or name of the OCI runtime (default runc)")
    String defaultRuntime;

    @Option(names = "--conmon", description = "Path of conmon (default: found on PATH)")
    String conmon;

    @Option(names = "--cgroup-parent", description = "Parent cgroup of all containers (default /berth)")
    String cgroupParent;

    @Option(names = "--insecure-registry", description = "Registry (host:port or CIDR) reached over plain HTTP or unverified TLS")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--registry-mirror", description = "Mirror of docker.io to pull from first (http(s)://host[:port])")
    List<String> registryMirrors = new ArrayList<>();

    @Option(names = "--registry-certs-dir", description = "Directory of <host:port>/*.crt registry CAs, searched"
            + " besides /etc/docker/certs.d and /etc/berth/certs.d")
    List<String> registryCertsDirs = new ArrayList<>();

    @Option(names = "--max-concurrent-downloads", description = "Layers downloaded at once over all pulls (default 3)")
    String maxConcurrentDownloads;

    @Option(names = "--max-concurrent-uploads", description = "Layers uploaded at once over all pushes (default 5)")
    String maxConcurrentUploads;

    @Option(names = "--registry-stall-timeout", description = "How long a registry may send nothing in the middle of a"
            + " response before the transfer is abandoned; a pull resumes it (default 30s)")
    String registryStallTimeout;
    @Option(names = {"-b", "--bridge"}, description = "Device of the default bridge network (default berth0)")
    String bridge;

    @Option(names = "--bip", description = "The default bridge's address with prefix, such as 10.199.0.1/20")
    String bip;

    @Option(names = "--default-address-pool", description = "base=CIDR,size=N: where the default bridge's subnet is chosen")
    List<String> defaultAddressPools = new ArrayList<>();

    @Option(names = "--log-driver", description = "Log driver of containers that name none: json-file, local or none")
    String logDriver;

    @Option(names = "--log-opt", description = "key=value: log option of containers of the default driver that do not set it")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--dns", description = "Name server written into containers' resolv.conf when they name none (default: the host's)")
    List<String> dns = new ArrayList<>();
}
