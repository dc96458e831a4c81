package dev.berth.host;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes directory trees that other processes may still be changing: conmon unlinks its attach
 * socket and exit file as it ends, a runtime removes its state, so an entry listed a moment ago
 * may be gone when it is reached. Symbolic links are removed, never followed.
 */
public final class FileTrees {
    /** How often a directory that gained an entry during the walk is walked again before giving up. */
    private static final int ATTEMPTS = 3;

    private FileTrees() {
    }

    /** Deletes the tree at {@code root}; nothing to do when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                walkAndDelete(root);
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void walkAndDelete(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
