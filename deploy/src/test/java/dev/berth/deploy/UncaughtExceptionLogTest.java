package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A daemon thread that dies of an unexpected exception leaves its name and stack in the daemon's log. */
class UncaughtExceptionLogTest {
    private final Logger log = (Logger) LoggerFactory.getLogger(Berthd.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Thread.UncaughtExceptionHandler before;

    @BeforeEach
    void capture() {
        before = Thread.getDefaultUncaughtExceptionHandler();
        events.start();
        log.addAppender(events);
    }

    @AfterEach
    void restore() {
        log.detachAppender(events);
        Thread.setDefaultUncaughtExceptionHandler(before);
    }

    @Test
    void aThreadThatDiesIsLoggedWithItsNameAndCause() throws Exception {
        Berthd.logUncaughtExceptions();
        Thread worker = new Thread(() -> {
            throw new IllegalStateException("tree vanished under the walk");
        }, "berth-exec-bg-7");
        worker.start();
        worker.join();

        assertThat(events.list).hasSize(1);
        ILoggingEvent event = events.list.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.ERROR);
        assertThat(event.getFormattedMessage()).contains("berth-exec-bg-7");
        assertThat(event.getThrowableProxy().getMessage()).isEqualTo("tree vanished under the walk");
    }
}
