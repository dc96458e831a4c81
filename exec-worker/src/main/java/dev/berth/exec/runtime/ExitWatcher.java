package dev.berth.exec.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches conmon's exit directory (inotify, through the JDK's WatchService) and reports each
 * container exit once its exit file is complete. conmon writes the file under a temporary name
 * and renames it, so a created entry with a container id for name is complete.
 */
public final class ExitWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");

    private final Path exitDir;
    private final BiConsumer<String, Integer> onExit;
    private WatchService watchService;
    private Thread thread;

    public ExitWatcher(Path exitDir, BiConsumer<String, Integer> onExit) {
        this.exitDir = exitDir;
        this.onExit = onExit;
    }

    /** Starts watching, then reports exits that happened before (e.g. while berthd was down). */
    public void start() throws IOException {
        Files.createDirectories(exitDir);
        watchService = exitDir.getFileSystem().newWatchService();
        exitDir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE);
        thread = new Thread(this::watch, "berth-exit-watcher");
        thread.setDaemon(true);
        thread.start();
        scan();
    }

    /**
     * The one thread that notices exits: nothing may end it but closing, or every later exit
     * would go unnoticed and every client waiting for one would wait for ever.
     */
    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        scan();
                    } else {
                        report(exitDir.resolve((Path) event.context()));
                    }
                }
                if (!key.reset()) {
                    LOG.error("{} can no longer be watched: exits are no longer noticed", exitDir);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closing
        }
    }

    /** Reports every exit file present now. */
    public void scan() {
        try (Stream<Path> files = Files.list(exitDir)) {
            files.forEach(this::report);
        } catch (IOException | java.io.UncheckedIOException e) {
            // Files.list's stream reports a failure while listing as UncheckedIOException.
            LOG.warn("cannot scan {}: {}", exitDir, e.toString());
        }
    }

    private void report(Path file) {
        String name = file.getFileName().toString();
        if (!CONTAINER_ID.matcher(name).matches()) {
            return;
        }
        OptionalInt code = readExitCode(file);
        if (code.isPresent()) {
            try {
                onExit.accept(name, code.getAsInt());
            } catch (RuntimeException e) {
                LOG.warn("handling the exit of {} failed", name, e);
            }
        }
    }

    public static OptionalInt readExitCode(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void close() throws IOException {
        if (watchService != null) {
            watchService.close();
        }
    }
}
