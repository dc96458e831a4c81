package dev.berth.log.follow;

import dev.berth.log.LogOptions;

/** Every test of {@link LogsReadJobTest} again, with followers woken by inotify and a 1 s safety poll. */
class LogsReadJobInotifyTest extends LogsReadJobTest {
    @Override
    LogOptions options() {
        return new LogOptions(2, 20, true);
    }

    @Override
    long medianLatencyBoundMillis() {
        // Far below the 1 s safety poll: only inotify can explain it.
        return 50;
    }
}
