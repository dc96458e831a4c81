package dev.berth.log;

/**
 * Settings of the log worker. {@code readerThreads}: the blocking pool that reads log files (a
 * read never waits for a slow client, so a few threads serve many streams);
 * {@code followPollMillis}: how often a follower looks for new lines when it cannot be told;
 * {@code inotify}: whether followers are told of writes through inotify, which brings a new line
 * out within a few milliseconds and leaves polling as a slow safety net;
 * {@code eventJournalSize}: how many recent events {@code docker events --since} can replay.
 */
public record LogOptions(int readerThreads, long followPollMillis, boolean inotify, int eventJournalSize) {
    public static final int DEFAULT_EVENT_JOURNAL_SIZE = 4096;
    public static final int DEFAULT_READER_THREADS = 4;
    public static final long DEFAULT_FOLLOW_POLL_MILLIS = 50;
    public static final LogOptions DEFAULT = new LogOptions(DEFAULT_READER_THREADS, DEFAULT_FOLLOW_POLL_MILLIS, true,
            DEFAULT_EVENT_JOURNAL_SIZE);

    public LogOptions(int readerThreads, long followPollMillis, boolean inotify) {
        this(readerThreads, followPollMillis, inotify, DEFAULT_EVENT_JOURNAL_SIZE);
    }

    public LogOptions {
        if (readerThreads < 1 || followPollMillis < 1 || eventJournalSize < 1) {
            throw new IllegalArgumentException("readerThreads, followPollMillis and eventJournalSize must be positive");
        }
    }
}
