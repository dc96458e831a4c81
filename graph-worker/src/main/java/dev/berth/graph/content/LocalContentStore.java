package dev.berth.graph.content;

import dev.berth.bus.EngineException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** The content store on the local disk: {@code blobs/sha256/<hex>} and {@code ingest/<random>}. */
public final class LocalContentStore implements ContentStore {
    private final Path blobs;
    private final Path ingest;

    public LocalContentStore(Path root) throws IOException {
        this.blobs = root.resolve("blobs").resolve(Digest.ALGORITHM);
        this.ingest = root.resolve("ingest");
        Files.createDirectories(blobs);
        Files.createDirectories(ingest);
    }

    @Override
    public Writer writer() throws IOException {
        return new FileWriter(ingest.resolve(UUID.randomUUID().toString()));
    }

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    @Override
    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw EngineException.notFound("no blob " + digest);
        }
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw EngineException.notFound("no blob " + digest);
        }
    }

    @Override
    public byte[] readVerified(Digest digest, int maxBytes) throws IOException {
        if (size(digest) > maxBytes) {
            throw EngineException.invalid("blob " + digest + " is larger than " + maxBytes + " bytes");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw EngineException.notFound("no blob " + digest);
        }
        if (!Digest.of(bytes).equals(digest)) {
            throw EngineException.internal("blob " + digest + " is corrupt: its content no longer matches its digest", null);
        }
        return bytes;
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    @Override
    public Set<Digest> list() throws IOException {
        Set<Digest> all = new HashSet<>();
        try (Stream<Path> files = Files.list(blobs)) {
            files.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.length() == 64) {
                    try {
                        all.add(new Digest(name));
                    } catch (EngineException ignored) {
                        // not a blob of ours
                    }
                }
            });
        }
        return all;
    }

    @Override
    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    @Override
    public void cleanIngest() throws IOException {
        try (Stream<Path> files = Files.list(ingest)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to sync directories; the rename is still atomic.
        }
    }

    private final class FileWriter implements Writer {
        private final Path file;
        private final FileChannel channel;
        private final MessageDigest sha = Digest.newSha256();
        private final OutputStream out;
        private long size;
        private Digest digest;
        private boolean committed;
        private boolean closed;
        /** Whether the bytes were fsynced (finish), not only sealed. */
        private boolean durable;

        FileWriter(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    raw.write(b);
                    sha.update((byte) b);
                    size++;
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    raw.write(bytes, offset, length);
                    sha.update(bytes, offset, length);
                    size += length;
                }

                @Override
                public void flush() throws IOException {
                    raw.flush();
                }

                @Override
                public void close() throws IOException {
                    raw.flush();
                }
            };
        }

        @Override
        public OutputStream stream() {
            return out;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Digest finish() throws IOException {
            if (digest == null) {
                out.flush();
                channel.force(true);
                channel.close();
                digest = Digest.of(sha);
                durable = true;
            } else if (!durable) {
                try (FileChannel written = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    written.force(true);
                }
                durable = true;
            }
            return digest;
        }

        @Override
        public Digest seal() throws IOException {
            if (digest == null) {
                out.flush();
                channel.close();
                digest = Digest.of(sha);
            }
            return digest;
        }

        @Override
        public InputStream openStaged() throws IOException {
            seal();
            return Files.newInputStream(file);
        }

        @Override
        public InputStream openWritten() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public Digest commit(Digest expected) throws IOException {
            Digest actual = finish();
            if (expected != null && !expected.equals(actual)) {
                close();
                throw EngineException.invalid("digest mismatch: expected " + expected + ", got " + actual);
            }
            Path target = path(actual);
            if (Files.exists(target)) {
                Files.deleteIfExists(file);
            } else {
                try {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(file);
                }
                fsyncDirectory(blobs);
            }
            committed = true;
            return actual;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (channel.isOpen()) {
                channel.close();
            }
            if (!committed) {
                Files.deleteIfExists(file);
            }
        }
    }
}
