package dev.berth.graph.build;

import dev.berth.host.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.BuildImage;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.graph.Graph;
import dev.berth.graph.image.ImageConfig;
import dev.berth.host.FileOps;
import dev.berth.host.archive.SafeTarExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The classic builder: runs a Dockerfile's instructions one by one, each step an image. A RUN
 * runs in a container of the exec worker ({@link StepContainers}) and is committed; COPY and ADD
 * write into a snapshot of the current image here, through the hardened extractor (so a
 * symlink in the image cannot lead a copy outside the snapshot); ENV, CMD and the other settings
 * commit an empty snapshot with the instruction as a change, as {@code docker commit -c} does.
 */
public final class ImageBuilder {
    /** Files the runtime mounts over in every container; a RUN's writes to them are not kept. */
    private static final List<String> RUNTIME_MOUNTS = List.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf");
    private static final Set<String> SETTINGS = Set.of("ENV", "CMD", "ENTRYPOINT", "LABEL", "EXPOSE", "USER", "WORKDIR",
            "VOLUME", "STOPSIGNAL");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Graph graph;
    private final StepContainers containers;
    private final Path scratch;
    private final long maxContextBytes;
    private final long maxContextEntries;

    public ImageBuilder(Graph graph, StepContainers containers, Path scratch, long maxContextBytes, long maxContextEntries) {
        this.graph = graph;
        this.containers = containers;
        this.scratch = scratch;
        this.maxContextBytes = maxContextBytes;
        this.maxContextEntries = maxContextEntries;
    }

    /** A build that failed at a step; code is a failing RUN's exit status, else 0. */
    public static final class StepFailed extends RuntimeException {
        private final int code;

        public StepFailed(String message, int code) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Reads the context tar, builds, tags; returns the new image's id. Lines for the user go to out. */
    public String build(InputStream context, BuildImage args, Consumer<String> out) throws IOException {
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, "build-");
        try {
            Path contextDir = Files.createDirectory(work.resolve("context"));
            new SafeTarExtractor(FileOps.linux(), SafeTarExtractor.Options.of("build context", maxContextBytes, maxContextEntries))
                    .extract(context, contextDir);
            Consumer<String> user = args.quiet() ? line -> {
            } : out;
            String id = new Run(args, contextDir, work, user).execute();
            if (args.quiet()) {
                out.accept(id + "\n");
            }
            return id;
        } finally {
            deleteTree(work);
        }
    }

    /** The state of one build as it goes through the steps. */
    private final class Run {
        private final BuildImage args;
        private final Path context;
        private final Path work;
        private final Consumer<String> out;
        private final Map<String, String> declaredArgs = new LinkedHashMap<>();
        private final Set<String> usedArgs = new LinkedHashSet<>();
        private final Map<String, String> imageEnv = new LinkedHashMap<>();
        private String workdir = "";
        private String image;
        private char escape;

        Run(BuildImage args, Path context, Path work, Consumer<String> out) {
            this.args = args;
            this.context = context;
            this.work = work;
            this.out = out;
        }

        String execute() throws IOException {
            DockerfileParser.Dockerfile dockerfile = DockerfileParser.parse(readDockerfile());
            escape = dockerfile.escape();
            List<Instruction> steps = dockerfile.instructions();
            if (steps.isEmpty()) {
                throw EngineException.invalid("the Dockerfile (" + args.dockerfile() + ") cannot be empty");
            }
            int number = 0;
            for (Instruction step : steps) {
                number++;
                out.accept("Step " + number + "/" + steps.size() + " : " + step.display() + "\n");
                perform(step);
                if (image != null) {
                    out.accept(" ---> " + shortId(image) + "\n");
                }
            }
            if (image == null) {
                throw EngineException.invalid("No image was generated. Is your Dockerfile empty?");
            }
            if (!args.labels().isEmpty()) {
                List<String> changes = new ArrayList<>();
                new TreeMap<>(args.labels()).forEach((key, value) -> changes.add("LABEL " + quote(key) + "=" + quote(value)));
                String key = String.join("\n", changes);
                if (!fromCache(key)) {
                    String parent = image;
                    image = commitSnapshot(changes, null);
                    remember(parent, key);
                }
            }
            Set<String> unused = new LinkedHashSet<>(args.buildArgs().keySet());
            unused.removeAll(usedArgs);
            if (!unused.isEmpty()) {
                out.accept("[Warning] One or more build-args " + unused + " were not consumed\n");
            }
            out.accept("Successfully built " + shortId(image) + "\n");
            for (String tag : args.tags()) {
                int colon = tag.lastIndexOf(':');
                boolean tagged = colon > tag.lastIndexOf('/');
                String repo = tagged ? tag.substring(0, colon) : tag;
                String name = tagged ? tag.substring(colon + 1) : "latest";
                graph.images().tag(image, repo, name);
                out.accept("Successfully tagged " + repo + ":" + name + "\n");
            }
            return image;
        }

        private String readDockerfile() throws IOException {
            Path file = context.resolve(args.dockerfile()).normalize();
            if (!file.startsWith(context) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw EngineException.invalid("Cannot locate specified Dockerfile: " + args.dockerfile());
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }

        private void perform(Instruction step) throws IOException {
            String keyword = step.keyword();
            if (image == null && !keyword.equals("FROM") && !keyword.equals("ARG")) {
                throw EngineException.invalid("Please provide a source image with `from` prior to " + keyword.toLowerCase(Locale.ROOT));
            }
            switch (keyword) {
                case "FROM" -> from(step);
                case "ARG" -> arg(step);
                case "RUN" -> run(step);
                case "COPY", "ADD" -> copy(step);
                default -> {
                    if (!SETTINGS.contains(keyword)) {
                        throw EngineException.invalid("berth does not support the Dockerfile instruction " + keyword
                                + " (line " + step.line() + ")");
                    }
                    String text = keyword.equals("CMD") || keyword.equals("ENTRYPOINT") ? step.rest() : expand(step.rest());
                    String change = keyword + " " + text;
                    if (!fromCache(change)) {
                        String parent = image;
                        image = commitSnapshot(List.of(change), null);
                        remember(parent, change);
                    }
                }
            }
            if (!keyword.equals("ARG")) {
                refreshFromImage();
            }
        }

        private void from(Instruction step) throws IOException {
            if (!step.flags().isEmpty()) {
                throw EngineException.invalid("berth does not support FROM " + step.flags().keySet() + " flags");
            }
            String[] words = expand(step.rest()).strip().split("\\s+");
            if (words.length != 1) {
                throw EngineException.invalid("berth does not support multi-stage builds (FROM … AS): " + step.rest());
            }
            image = graph.images().inspect(words[0]).id();
        }

        private void arg(Instruction step) {
            String text = step.rest().strip();
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            String fallback = equals < 0 ? null : expand(text.substring(equals + 1));
            String given = args.buildArgs().get(name);
            if (args.buildArgs().containsKey(name)) {
                usedArgs.add(name);
            }
            String value = given != null ? given : fallback;
            if (value != null) {
                declaredArgs.put(name, value);
            }
        }

        private void run(Instruction step) throws IOException {
            List<String> command = step.isExecForm() ? step.json() : List.of("/bin/sh", "-c", step.rest());
            List<String> env = new ArrayList<>();
            declaredArgs.forEach((name, value) -> {
                if (!imageEnv.containsKey(name)) {
                    env.add(name + "=" + value);
                }
            });
            String key = "RUN " + ImageConfig.JSON.writeValueAsString(command) + " with " + ImageConfig.JSON.writeValueAsString(env);
            if (fromCache(key)) {
                return;
            }
            String parent = image;
            StepContainers.Ran ran = containers.run(image, command, env,
                    id -> out.accept(" ---> Running in " + id.substring(0, 12) + "\n"), out);
            try {
                if (ran.status() != 0) {
                    throw new StepFailed("The command '" + String.join(" ", command) + "' returned a non-zero code: "
                            + ran.status(), ran.status());
                }
                image = graph.committer().commit(new CommitImage(ran.id(), null, List.of(), null, null, null, null,
                        RUNTIME_MOUNTS)).id();
                remember(parent, key);
            } finally {
                containers.remove(ran.id());
                out.accept("Removing intermediate container " + ran.id().substring(0, 12) + "\n");
            }
        }

        private void copy(Instruction step) throws IOException {
            for (String flag : step.flags().keySet()) {
                throw EngineException.invalid("berth does not support " + step.keyword() + " --" + flag);
            }
            List<String> words = step.isExecForm() ? step.json() : List.of(expand(step.rest()).strip().split("\\s+"));
            if (words.size() < 2) {
                throw EngineException.invalid(step.keyword() + " requires at least two arguments");
            }
            for (String source : words.subList(0, words.size() - 1)) {
                if (source.contains("*") || source.contains("?") || source.contains("[") || source.contains("://")) {
                    throw EngineException.invalid("berth does not support " + step.keyword() + " of globs or URLs: " + source);
                }
            }
            List<CopySources.Placement> placements = CopySources.place(context, words.subList(0, words.size() - 1),
                    words.get(words.size() - 1), workdir);
            if (step.keyword().equals("ADD")) {
                for (CopySources.Placement placement : placements) {
                    if (isArchive(placement.source())) {
                        throw EngineException.invalid("berth does not support ADD of a local archive (it would be extracted): "
                                + context.relativize(placement.source()));
                    }
                }
            }
            String key = step.keyword() + " " + CopyArchive.digest(placements);
            if (fromCache(key)) {
                return;
            }
            String parent = image;
            Path tar = work.resolve("copy.tar");
            CopyArchive.write(placements, tar, CopyArchive.Owner.ROOT);
            image = commitSnapshot(List.of(), tar);
            remember(parent, key);
        }

        /**
         * Takes the step's result from the build cache when it has one for the current image and
         * key and the build allows it, saying so as the classic builder does.
         */
        private boolean fromCache(String key) throws IOException {
            if (args.noCache()) {
                return false;
            }
            Optional<String> hit = graph.buildCache().find(image, key);
            if (hit.isEmpty()) {
                return false;
            }
            out.accept(" ---> Using cache\n");
            image = hit.get();
            return true;
        }

        /** Records the step that made the current image from parent, for later builds (--no-cache ones too, as dockerd does). */
        private void remember(String parent, String key) throws IOException {
            graph.buildCache().remember(parent, key, image);
        }

        private String expand(String text) {
            Map<String, String> variables = new LinkedHashMap<>(declaredArgs);
            variables.putAll(imageEnv);
            return Substitution.expand(text, variables, escape);
        }

        /** The image's Env and WorkingDir, which later steps' substitutions and relative paths use. */
        private void refreshFromImage() throws IOException {
            ImageView view = graph.images().inspect(image);
            imageEnv.clear();
            JsonNode config = view.config();
            if (config != null) {
                for (JsonNode entry : config.path("Env")) {
                    String text = entry.asText();
                    int equals = text.indexOf('=');
                    if (equals > 0) {
                        imageEnv.put(text.substring(0, equals), text.substring(equals + 1));
                    }
                }
                workdir = config.path("WorkingDir").asText("");
            }
        }

        /** A snapshot of the current image, the tar (if any) extracted into it, committed with changes. */
        private String commitSnapshot(List<String> changes, Path tar) throws IOException {
            String id = HexFormat.of().formatHex(randomBytes());
            graph.prepareSnapshot(id, image);
            try {
                if (tar != null) {
                    Path rootfs = Path.of(graph.mountSnapshot(id).rootfs());
                    try (InputStream in = Files.newInputStream(tar)) {
                        new SafeTarExtractor(FileOps.linux(), SafeTarExtractor.Options.of("copy", Long.MAX_VALUE, Long.MAX_VALUE))
                                .extract(in, rootfs);
                    }
                    graph.unmountSnapshot(id);
                }
                return graph.committer().commit(new CommitImage(id, null, changes, null, null, null, null, List.of())).id();
            } finally {
                graph.removeSnapshot(id);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** What ADD would extract rather than copy: a tar, plain or gzip, bzip2 or xz compressed (by their magic bytes). */
    static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        byte[] head = new byte[262];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        boolean gzip = read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean bzip2 = read >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h';
        boolean xz = read >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z';
        boolean tar = read >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        return gzip || bzip2 || xz || tar;
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** Removes the contexts of builds a crash interrupted; called at start, before any build runs. */
    public static void discardLeftovers(Path scratch) throws IOException {
        if (!Files.isDirectory(scratch)) {
            return;
        }
        try (Stream<Path> builds = Files.list(scratch)) {
            for (Path build : builds.filter(path -> path.getFileName().toString().startsWith("build-")).toList()) {
                deleteTree(build);
            }
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
