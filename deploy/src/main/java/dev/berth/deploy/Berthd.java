package dev.berth.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.berth.api.ApiGatewayVerticle;
import dev.berth.api.GatewayOptions;
import dev.berth.api.ListenAddress;
import dev.berth.api.metrics.EngineMetrics;
import dev.berth.bus.JobBus;
import dev.berth.bus.local.LocalJobBus;
import dev.berth.exec.ExecOptions;
import dev.berth.exec.ExecWorkerVerticle;
import dev.berth.graph.GraphOptions;
import dev.berth.graph.GraphWorkerVerticle;
import dev.berth.log.LogStreamVerticle;
import dev.berth.net.NetworkOptions;
import dev.berth.net.NetworkWorkerVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The daemon: reads its configuration, starts the workers, then the API gateway. */
public final class Berthd {
    private static final Logger LOG = LoggerFactory.getLogger(Berthd.class);

    private Berthd() {
    }

    public static void main(String[] args) {
        logUncaughtExceptions();
        DaemonFlags flags = new DaemonFlags();
        CommandLine commandLine = new CommandLine(flags);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("berthd: " + e.getMessage());
            commandLine.usage(System.err);
            System.exit(2);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return;
        }
        try {
            run(DaemonConfigLoader.load(flags));
        } catch (IllegalArgumentException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof dev.berth.graph.Graph.StorageDriverMismatchException) {
                    System.err.println("berthd: " + cause.getMessage());
                    System.exit(1);
                }
            }
            LOG.error("berthd failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    static void run(DaemonConfig config) throws Exception {
        setLogLevel(config.logLevel());
        List<ListenAddress> listen = new ArrayList<>();
        for (String host : config.hosts()) {
            ListenAddress address = ListenAddress.parse(host);
            if (!address.isLoopback()) {
                throw new IllegalArgumentException("refusing to listen on " + address
                        + " without TLS: only unix sockets and loopback TCP are served");
            }
            listen.add(address);
        }
        Files.createDirectories(config.dataRoot());
        Files.createDirectories(config.execRoot());
        PidFile pidFile = PidFile.create(config.pidfile());
        // sqlite-jdbc unpacks its native library into a temp dir; keep it under the exec root
        // rather than leaving one copy per daemon run in /tmp.
        java.nio.file.Path nativeDir = Files.createDirectories(config.execRoot().resolve("native"));
        System.setProperty("org.sqlite.tmpdir", nativeDir.toString());

        // Vert.x's file cache would otherwise leave a directory in /tmp per killed daemon.
        // One registry for Vert.x's meters (HTTP requests by route, method and code) and Berth's own.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)
                        .setFileCacheDir(config.execRoot().resolve("vertx-cache").toString()))
                .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE))))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        if (!vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException("the native epoll transport is unavailable: " + vertx.unavailableNativeTransportCause());
        }
        LocalJobBus bus = new LocalJobBus(vertx, config.nodeName());
        EngineMetrics metrics = new EngineMetrics(registry);
        bus.onJobRecorded(metrics.jobRecorder());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, pidFile), "berthd-shutdown"));

        GatewayOptions gatewayOptions = new GatewayOptions(listen, EngineFacts.collect(config), metrics);
        await(vertx.deployVerticle(new GraphWorkerVerticle(bus, GraphOptions.under(config.dataRoot(), config.registries())
                        .withStorageDriver(config.storageDriver())))
                .compose(id -> vertx.deployVerticle(new NetworkWorkerVerticle(bus, NetworkOptions.under(config.dataRoot(), config.execRoot(),
                        config.bridge(), config.bip(), config.addressPools(), config.dns()))))
                .compose(id -> vertx.deployVerticle(new ExecWorkerVerticle(bus,
                        ExecOptions.of(config.dataRoot(), config.execRoot(), config.runtime(), config.conmon(),
                                config.cgroupParent(), config.dns()).withDefaultLogConfig(config.logConfig())
                                .withStorageDriver(config.storageDriver().dockerName()))))
                .compose(id -> vertx.deployVerticle(new LogStreamVerticle(bus)))
                .compose(id -> vertx.deployVerticle(new ApiGatewayVerticle(bus, gatewayOptions))));
        LOG.info("berthd {} started as node {} (data root {}, exec root {}, storage driver {})", dev.berth.api.EngineVersion.BERTH,
                config.nodeName(), config.dataRoot(), config.execRoot(), config.storageDriver().dockerName());
    }

    /**
     * A thread that dies of an unexpected exception (a worker's pump, a watcher) says so in the
     * daemon's log, with its name and stack, instead of on stderr only: such a death has left a
     * client's stream or a watch unserved, and the log is where an operator looks.
     */
    static void logUncaughtExceptions() {
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
                LOG.error("thread {} died of an uncaught exception", thread.getName(), failure));
    }

    private static void await(Future<?> future) throws Exception {
        future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Containers keep running: conmon holds them, and the next start reconciles. */
    private static void shutdown(Vertx vertx, PidFile pidFile) {
        LOG.info("berthd stopping");
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown did not finish cleanly: {}", e.toString());
        }
        pidFile.remove();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.stop();
    }

    private static void setLogLevel(String level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level logback = "fatal".equals(level) ? Level.ERROR : Level.toLevel(level, Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(logback);
        // Netty and Vert.x are chatty at debug; their debug output is rarely what a user wants.
        if (logback.isGreaterOrEqual(Level.INFO)) {
            context.getLogger("io.netty").setLevel(Level.WARN);
        }
    }
}
