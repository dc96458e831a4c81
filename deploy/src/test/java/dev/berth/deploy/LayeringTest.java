package dev.berth.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of docs/design.md, checked on the compiled classes of every module. */
class LayeringTest {
    /** A verticle and its nested classes: the one place a worker meets Vert.x. */
    private static final String VERTICLE = ".*Verticle(\\$.*)?";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.berth");
    }

    @Test
    void theGatewayKnowsOnlyTheBus() {
        noClasses().that().resideInAPackage("dev.berth.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.exec..", "dev.berth.graph..", "dev.berth.net..",
                        "dev.berth.log..", "dev.berth.host..", "dev.berth.deploy..")
                .check(classes);
    }

    @Test
    void workersMeetOnlyOnTheBus() {
        String[][] pairs = {
            {"dev.berth.exec..", "dev.berth.graph..", "dev.berth.net..", "dev.berth.log.."},
            {"dev.berth.graph..", "dev.berth.exec..", "dev.berth.net..", "dev.berth.log.."},
            {"dev.berth.net..", "dev.berth.exec..", "dev.berth.graph..", "dev.berth.log.."},
            {"dev.berth.log..", "dev.berth.exec..", "dev.berth.graph..", "dev.berth.net.."},
        };
        for (String[] rule : pairs) {
            noClasses().that().resideInAPackage(rule[0])
                    .should().dependOnClassesThat().resideInAnyPackage(rule[1], rule[2], rule[3], "dev.berth.api..")
                    .check(classes);
        }
    }

    @Test
    void onlyTheHostModuleTouchesNativeCode() {
        noClasses().that().resideOutsideOfPackage("dev.berth.host..")
                .should().dependOnClassesThat().resideInAnyPackage("jnr..", "com.kenai.jffi..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.berth.host..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.berth.host.LibC")
                .check(classes);
    }

    @Test
    void onlyTheBusUsesTheEventBusDirectly() {
        noClasses().that().resideOutsideOfPackage("dev.berth.bus..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx.core.eventbus..")
                .check(classes);
    }

    @Test
    void theBusKnowsNoModuleOfOurs() {
        noClasses().that().resideInAPackage("dev.berth.bus..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.api..", "dev.berth.exec..", "dev.berth.graph..",
                        "dev.berth.net..", "dev.berth.log..", "dev.berth.host..", "dev.berth.deploy..")
                .check(classes);
    }

    @Test
    void vertxInternalsOnlyInTheHijack() {
        // Taking over a POST's connection needs Vert.x's connection internals; nothing else may
        // lean on classes that change without notice between Vert.x releases.
        noClasses().that().haveNameNotMatching("dev\\.berth\\.api\\.stream\\.Hijack(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.vertx..internal..")
                .check(classes);
    }

    @Test
    void theServicesBehindTheVerticlesUseNoVertx() {
        noClasses().that().resideInAPackage("dev.berth.host..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.berth.graph..").and().haveNameNotMatching(VERTICLE)
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(classes);
    }

    /**
     * The same rule for the exec and log workers, but for the classes that adapt a job stream or
     * the bus to the worker: they hold Vert.x's stream and future types by nature. Nothing else
     * behind those verticles uses Vert.x, not even its JSON: records and Jackson carry the data.
     */
    @Test
    void workerServicesUseNoVertxBeyondTheirBusAdapters() {
        noClasses().that().resideInAnyPackage("dev.berth.exec..", "dev.berth.net..", "dev.berth.log..")
                .and().haveNameNotMatching(VERTICLE)
                .and().haveNameNotMatching("dev\\.berth\\.exec\\.(BusPeers|attach\\.AttachSession)(\\$.*)?")
                .and().haveNameNotMatching("dev\\.berth\\.log\\.follow\\.(LogsReadJob|LogPump|ChunkSink|LogChunker)(\\$.*)?")
                // Drives rotations: bus jobs and events on its context, the file work on the readers' pool.
                .and().haveNameNotMatching("dev\\.berth\\.log\\.rotate\\.LogRotator(\\$.*)?")
                // The events job and its feed adapt the journal (no Vert.x) to a JobStream, as LogsReadJob does a log.
                .and().haveNameNotMatching("dev\\.berth\\.log\\.event\\.(EventsReadJob|EventFeed)(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(classes);
    }
}
