package dev.berth.log.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells followers that a log file was created or written, through inotify (java.nio's
 * WatchService on Linux), so that a follower reads a new line a millisecond or two after conmon
 * wrote it instead of at its next poll. One thread serves every follower and watches each
 * directory once, however many of its files are followed. Listeners run on that thread and must
 * only hand the news on. Where a directory cannot be watched, {@link #watch} says so and the
 * follower keeps polling.
 */
public final class FileWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final WatchService service;
    private final Thread thread;
    /** Guarded by this. */
    private final Map<Path, Directory> directories = new HashMap<>();

    private static final class Directory {
        final WatchKey key;
        final Map<Path, List<Runnable>> listeners = new HashMap<>();

        Directory(WatchKey key) {
            this.key = key;
        }
    }

    private FileWatcher(WatchService service) {
        this.service = service;
        this.thread = new Thread(this::run, "berth-log-watcher");
        thread.setDaemon(true);
    }

    public static FileWatcher start() throws IOException {
        FileWatcher watcher = new FileWatcher(FileSystems.getDefault().newWatchService());
        watcher.thread.start();
        return watcher;
    }

    /**
     * Runs {@code onChange} whenever {@code file} is created, written or replaced, until the
     * returned handle is closed; null when its directory cannot be watched.
     */
    public synchronized Closeable watch(Path file, Runnable onChange) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path name = absolute.getFileName();
        Directory directory = directories.get(dir);
        if (directory == null) {
            try {
                directory = new Directory(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException | ClosedWatchServiceException e) {
                LOG.debug("cannot watch {}: {}", dir, e.toString());
                return null;
            }
            directories.put(dir, directory);
        }
        directory.listeners.computeIfAbsent(name, n -> new ArrayList<>()).add(onChange);
        return () -> unwatch(dir, name, onChange);
    }

    private synchronized void unwatch(Path dir, Path name, Runnable onChange) {
        Directory directory = directories.get(dir);
        if (directory == null) {
            return;
        }
        List<Runnable> forFile = directory.listeners.get(name);
        if (forFile != null && forFile.remove(onChange) && forFile.isEmpty()) {
            directory.listeners.remove(name);
        }
        if (directory.listeners.isEmpty()) {
            directory.key.cancel();
            directories.remove(dir);
        }
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Set<Runnable> toCall = new LinkedHashSet<>();
            synchronized (this) {
                Directory directory = directories.get((Path) key.watchable());
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (directory == null) {
                        continue;
                    }
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        directory.listeners.values().forEach(toCall::addAll);
                    } else {
                        toCall.addAll(directory.listeners.getOrDefault((Path) event.context(), List.of()));
                    }
                }
                key.reset();
            }
            for (Runnable listener : toCall) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("a log watcher failed", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}
