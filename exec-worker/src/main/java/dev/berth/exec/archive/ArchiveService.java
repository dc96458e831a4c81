package dev.berth.exec.archive;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.archive.ArchivePath;
import dev.berth.bus.contract.archive.ExtractArchive;
import dev.berth.bus.contract.archive.PathStat;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.exec.container.ContainerService;
import dev.berth.exec.volume.ContainerRoot;
import dev.berth.exec.oci.ProcessUser;
import dev.berth.exec.oci.UserResolver;
import dev.berth.host.FileOps;
import dev.berth.host.archive.SafeTarExtractor;
import dev.berth.host.archive.UnsafeArchiveException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docker cp: stats, tars and extracts paths of a container, running or stopped, through the
 * container's own view of its file system ({@link ContainerRoot}). Extraction is the shared
 * safe path ({@link SafeTarExtractor}), as for image layers. A stopped container's root file
 * system is mounted for the copy and unmounted after it, in the container's serial order, so a
 * start waits for the copy.
 */
public final class ArchiveService {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveService.class);
    /** cp has no compression to bomb with; the budget only bounds the entries of one copy. */
    private static final long MAX_ENTRIES = 10_000_000;

    private final ContainerService containers;
    private final FileOps files;
    private final Executor blocking;

    public ArchiveService(ContainerService containers, FileOps files, Executor blocking) {
        this.containers = containers;
        this.files = files;
        this.blocking = blocking;
    }

    public CompletableFuture<PathStat> stat(ArchivePath args) {
        return containers.withRoot(args.ref(), root -> CompletableFuture.supplyAsync(() ->
                stat(root, args.ref(), args.path()), blocking));
    }

    /**
     * Accepted with the path's stat; the tar follows in the stream, whose end comes only once
     * a stopped container's root file system is unmounted again.
     */
    public CompletableFuture<PathStat> get(ArchivePath args, JobStream stream) {
        CompletableFuture<PathStat> accepted = new CompletableFuture<>();
        HeldTail out = new HeldTail(BlockingStreams.output(stream));
        CompletableFuture<Void> copied = containers.withRoot(args.ref(), root -> CompletableFuture.runAsync(() -> {
            PathStat stat = stat(root, args.ref(), args.path());
            String source = root.resolveParent(args.path()).containerPath();
            accepted.complete(stat);
            containers.announce(args.ref(), "archive-path", Map.of());
            try {
                TreeArchiver.write(new TreeArchiver.Tree() {
                    @Override
                    public Path hostOf(String containerPath) {
                        return root.hostOf(containerPath);
                    }

                    @Override
                    public java.util.Set<String> mountsBelow(String containerPath) {
                        return root.mountsBelow(containerPath);
                    }
                }, source, stat.name(), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking));
        CompletableFuture<Void> released = copied.thenRunAsync(() -> {
            try {
                out.release();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking);
        finish(released, accepted, stream);
        return accepted;
    }

    /**
     * Keeps the last bytes of a tar (its end-of-archive records) until the copy's clean-up is
     * done. The CLI returns as soon as it has read the tar's end, so a stopped container's root
     * must be unmounted before that end leaves: then `docker cp` returning means it is.
     */
    private static final class HeldTail extends BufferedOutputStream {
        HeldTail(OutputStream out) {
            super(out, BlockingStreams.CHUNK);
        }

        @Override
        public void flush() {
            // held until release(): the tar's writer flushes as it finishes
        }

        void release() throws IOException {
            super.flush();
        }
    }

    /**
     * Accepted once the path is a directory the copy may write to; the worker ends its direction
     * when everything is extracted and a stopped container's root file system is unmounted again.
     */
    public CompletableFuture<Void> put(ExtractArchive args, JobStream stream) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        CompletableFuture<Void> copied = containers.withRoot(args.ref(), root -> CompletableFuture.runAsync(() -> {
            ContainerRoot.Resolved resolved = root.resolveFully(args.path());
            if (!Files.exists(resolved.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(args.ref(), args.path());
            }
            if (!Files.isDirectory(resolved.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw EngineException.invalid("extraction point is not a directory");
            }
            root.checkWritable(resolved);
            int[] owner = args.copyUidGid() ? containerUser(root, args.ref()) : null;
            accepted.complete(null);
            InputStream in = BlockingStreams.input(stream);
            try {
                new SafeTarExtractor(files, new SafeTarExtractor.Options("archive", Long.MAX_VALUE, MAX_ENTRIES, owner,
                        args.noOverwriteDirNonDir())).extract(in, resolved.host());
                in.transferTo(OutputStream.nullOutputStream()); // the tar's padding after its end
                containers.announce(args.ref(), "extract-to-dir", Map.of());
            } catch (UnsafeArchiveException e) {
                throw EngineException.invalid(e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking));
        finish(copied, accepted, stream);
        return accepted;
    }

    /** A failure before acceptance refuses the job; after it, it fails the stream; else the stream ends. */
    private static <T> void finish(CompletableFuture<Void> copied, CompletableFuture<T> accepted, JobStream stream) {
        copied.whenComplete((v, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (accepted.isDone()) {
                if (cause != null) {
                    fail(stream, cause);
                } else {
                    stream.end();
                }
            } else {
                accepted.completeExceptionally(cause != null ? cause
                        : EngineException.internal("the copy ended before it started", null));
            }
        });
    }

    private int[] containerUser(ContainerRoot root, String ref) {
        String user = containers.inspect(ref).config().user();
        if (user == null || user.isEmpty()) {
            return null;
        }
        try {
            ProcessUser resolved = UserResolver.resolve(root.root(), user);
            return new int[] {resolved.uid(), resolved.gid()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PathStat stat(ContainerRoot root, String ref, String path) {
        ContainerRoot.Resolved resolved = root.resolveParent(path);
        try {
            Map<String, Object> attributes = Files.readAttributes(resolved.host(), "unix:mode,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            String linkTarget = "";
            if (Files.isSymbolicLink(resolved.host())) {
                linkTarget = root.resolveFully(path).containerPath();
            }
            String clean = ContainerRoot.absolute(path);
            String name = path.endsWith("/.") || path.equals(".") ? "."
                    : clean.equals("/") ? "/" : clean.substring(clean.lastIndexOf('/') + 1);
            return new PathStat(name, (Long) attributes.get("size"), (Integer) attributes.get("mode"),
                    ((FileTime) attributes.get("lastModifiedTime")).toInstant().toString(), linkTarget);
        } catch (NoSuchFileException e) {
            throw notFound(ref, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EngineException notFound(String ref, String path) {
        return EngineException.notFound("Could not find the file " + path + " in container " + ref);
    }

    private static void fail(JobStream stream, Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        EngineException error = EngineException.from(cause);
        if (stream.isCancelled()) {
            LOG.info("a copy was abandoned by its caller");
            return;
        }
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("a copy failed", cause);
        }
        stream.fail(error);
    }
}
