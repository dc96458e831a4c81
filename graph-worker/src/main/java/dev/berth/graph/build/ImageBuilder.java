package dev.berth.graph.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.BuildImage;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.PullImage;
import dev.berth.bus.contract.image.RegistryAuth;
import dev.berth.graph.Graph;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.reference.Reference;
import dev.berth.graph.registry.RegistryLogin;
import dev.berth.graph.unpack.Decompression;
import dev.berth.graph.unpack.UnpackLimits;
import dev.berth.host.FileOps;
import dev.berth.host.FileTrees;
import dev.berth.host.archive.SafeTarExtractor;
import dev.berth.host.archive.UnsafeArchiveException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The classic builder: runs a Dockerfile's instructions one by one, each step an image. A RUN
 * runs in a container of the exec worker ({@link StepContainers}) and is committed; COPY and ADD
 * write into a snapshot of the current image here, through the hardened extractor (so a
 * symlink in the image cannot lead a copy outside the snapshot); ENV, CMD and the other settings
 * commit an empty snapshot with the instruction as a change, as {@code docker commit -c} does.
 * A step whose parent image and inputs are unchanged is taken from the {@link BuildCache}.
 * Every FROM starts a stage; a stage's last image is what a later FROM or {@code COPY --from}
 * names, and the build ends with the target stage (the last, or --target).
 */
public final class ImageBuilder {
    /** Files the runtime mounts over in every container; a RUN's writes to them are not kept. */
    private static final List<String> RUNTIME_MOUNTS = List.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf");
    private static final Set<String> SETTINGS = Set.of("ENV", "CMD", "ENTRYPOINT", "LABEL", "EXPOSE", "USER", "WORKDIR",
            "VOLUME", "STOPSIGNAL", "ONBUILD");
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Graph graph;
    private final StepContainers containers;
    private final Path scratch;
    private final long maxContextBytes;
    private final long maxContextEntries;
    private final UnpackLimits limits;

    public ImageBuilder(Graph graph, StepContainers containers, Path scratch, UnpackLimits limits) {
        this.graph = graph;
        this.containers = containers;
        this.scratch = scratch;
        this.maxContextBytes = limits.maxBytes();
        this.maxContextEntries = limits.maxEntries();
        this.limits = limits;
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

    /**
     * The build's client went away: the build stopped between steps, or in a RUN whose container
     * was killed and removed. The steps done before stay, as images and in the cache.
     */
    public static final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("the build was cancelled");
        }
    }

    /**
     * Reads the context tar, builds, tags; returns the new image's id. Lines for the user go to
     * out. The build checks cancelled before each step and while a RUN runs.
     */
    public String build(InputStream context, BuildImage args, Consumer<String> out, BooleanSupplier cancelled)
            throws IOException {
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, "build-");
        try {
            Path contextDir = Files.createDirectory(work.resolve("context"));
            new SafeTarExtractor(FileOps.linux(), SafeTarExtractor.Options.of("build context", maxContextBytes, maxContextEntries))
                    .extract(context, contextDir);
            Consumer<String> user = args.quiet() ? line -> {
            } : out;
            String id = new Run(args, contextDir, work, user, cancelled).execute();
            if (args.quiet()) {
                out.accept(id + "\n");
            }
            return id;
        } finally {
            deleteTree(work);
        }
    }

    /** What a COPY or ADD writes, made once the snapshot it goes into is mounted (its /etc/passwd names --chown's owner). */
    @FunctionalInterface
    private interface LayerContent {
        /** The tar to extract into rootfs. */
        Path write(Path rootfs) throws IOException;
    }

    /** The state of one build as it goes through the steps. */
    private final class Run {
        private final BuildImage args;
        private final Path context;
        private final Path work;
        private final Consumer<String> out;
        /** ARGs before the first FROM: FROM lines use them, and a stage's ARG without a value takes theirs. */
        private final Map<String, String> globalArgs = new LinkedHashMap<>();
        private final Map<String, String> declaredArgs = new LinkedHashMap<>();
        private final Set<String> usedArgs = new LinkedHashSet<>();
        private final Map<String, String> imageEnv = new LinkedHashMap<>();
        private final BuildStages stages = new BuildStages();
        private String workdir = "";
        private List<String> shell = DEFAULT_SHELL;
        private String image;
        /** The base's ONBUILD triggers ran; the stage's first new image leaves them out of its config. */
        private boolean clearOnBuild;
        private char escape;
        private int scratchFiles;
        /** The instruction being performed as the output shows it, which the cache records describe. */
        private String describing = "";

        private final BooleanSupplier cancelled;

        Run(BuildImage args, Path context, Path work, Consumer<String> out, BooleanSupplier cancelled) {
            this.cancelled = cancelled;
            this.args = args;
            this.context = context;
            this.work = work;
            this.out = out;
        }

        String execute() throws IOException {
            DockerfileParser.Dockerfile dockerfile = DockerfileParser.parse(readDockerfile());
            escape = dockerfile.escape();
            List<Instruction> steps = BuildStages.untilTarget(dockerfile.instructions(), args.target());
            if (steps.isEmpty()) {
                throw EngineException.invalid("the Dockerfile (" + args.dockerfile() + ") cannot be empty");
            }
            int number = 0;
            for (Instruction step : steps) {
                if (cancelled.getAsBoolean()) {
                    throw new Cancelled();
                }
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
                describing = String.join(" ", changes);
                if (!fromCache(key)) {
                    String parent = image;
                    image = commitSnapshot(changes, null, config -> {
                    });
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
            describing = step.display();
            if (image == null && !keyword.equals("FROM") && !keyword.equals("ARG")) {
                throw EngineException.invalid("Please provide a source image with `from` prior to " + keyword.toLowerCase(Locale.ROOT));
            }
            switch (keyword) {
                case "FROM" -> from(step);
                case "ARG" -> arg(step);
                case "RUN" -> run(step);
                case "COPY", "ADD" -> copy(step);
                case "HEALTHCHECK" -> {
                    ObjectNode check = BuilderSettings.healthcheck(step);
                    commitSetting("HEALTHCHECK " + check, config -> config.set("Healthcheck", check));
                }
                case "SHELL" -> {
                    List<String> chosen = BuilderSettings.shell(step);
                    commitSetting("SHELL " + chosen, config -> {
                        ArrayNode shellArray = config.putArray("Shell");
                        chosen.forEach(shellArray::add);
                    });
                }
                default -> {
                    if (!SETTINGS.contains(keyword)) {
                        throw EngineException.invalid("berth does not support the Dockerfile instruction " + keyword
                                + " (line " + step.line() + ")");
                    }
                    if (keyword.equals("ONBUILD")) {
                        checkTrigger(step.rest());
                    }
                    commitSetting(keyword + " " + settingText(step), null);
                }
            }
            if (!keyword.equals("ARG")) {
                refreshFromImage();
            }
        }

        /** The instruction's text as its change: variables expanded, except where dockerd keeps them (commands, triggers). */
        private String settingText(Instruction step) throws IOException {
            String keyword = step.keyword();
            if (keyword.equals("ONBUILD")) {
                return step.rest();
            }
            if (keyword.equals("CMD") || keyword.equals("ENTRYPOINT")) {
                if (step.isExecForm() || shell.equals(DEFAULT_SHELL)) {
                    return step.rest();
                }
                List<String> command = new ArrayList<>(shell);
                command.add(step.rest());
                return ImageConfig.JSON.writeValueAsString(command);
            }
            return expand(step.rest());
        }

        private void checkTrigger(String trigger) {
            String keyword = trigger.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("ONBUILD")) {
                throw EngineException.invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            }
            if (keyword.equals("FROM") || keyword.equals("MAINTAINER")) {
                throw EngineException.invalid(keyword + " isn't allowed as an ONBUILD trigger");
            }
        }

        /** A step that only changes the config: from the cache, or an empty layer committed with the change. */
        private void commitSetting(String key, Consumer<ObjectNode> edit) throws IOException {
            if (fromCache(key)) {
                return;
            }
            String parent = image;
            image = commitSnapshot(edit == null ? List.of(key) : List.of(), null, edit == null ? config -> {
            } : edit);
            remember(parent, key);
        }

        private void from(Instruction step) throws IOException {
            if (!step.flags().isEmpty()) {
                throw EngineException.invalid("berth does not support FROM " + step.flags().keySet() + " flags");
            }
            String[] words = Substitution.expand(step.rest(), globalArgs, escape).strip().split("\\s+");
            if (words.length != 1 && !(words.length == 3 && words[1].equalsIgnoreCase("AS"))) {
                throw EngineException.invalid("FROM requires either one or three arguments");
            }
            stages.begin(words.length == 3 ? words[2] : null, image);
            declaredArgs.clear();
            Optional<String> stage = stages.named(words[0]);
            image = stage.isPresent() ? stage.get() : localOrPulled(words[0]);
            refreshFromImage();
            runTriggers();
        }

        /** The base's ONBUILD triggers, run as if they followed the FROM. */
        private void runTriggers() throws IOException {
            JsonNode triggers = runtimeConfig().path("OnBuild");
            if (!triggers.isArray() || triggers.isEmpty()) {
                clearOnBuild = false;
                return;
            }
            clearOnBuild = true;
            out.accept("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s") + "\n");
            for (JsonNode trigger : triggers) {
                checkTrigger(trigger.asText());
                for (Instruction instruction : DockerfileParser.parse(trigger.asText()).instructions()) {
                    perform(instruction);
                }
            }
        }

        /** An image by name or id; a name not here is pulled, with the lines docker pull prints. */
        private String localOrPulled(String name) throws IOException {
            if (name.equalsIgnoreCase("scratch")) {
                throw EngineException.invalid("berth does not support FROM scratch");
            }
            try {
                return graph.imageStore().resolve(name).id().toString();
            } catch (EngineException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
            Reference reference;
            try {
                reference = Reference.parse(name).withDefaultTag();
            } catch (EngineException e) {
                throw EngineException.invalid("invalid reference format: " + name);
            }
            graph.puller().pull(new PullImage(reference.toString(), null, null, credentialsFor(reference)), message -> {
                if (message.total() == 0 && message.status() != null) {
                    out.accept((message.id() == null ? "" : message.id() + ": ") + message.status() + "\n");
                }
            });
            return graph.images().inspect(reference.familiarString()).id();
        }

        /** The client's credentials for the registry of reference (dockerd matches X-Registry-Config's keys by host), or null. */
        private RegistryAuth credentialsFor(Reference reference) {
            for (Map.Entry<String, RegistryAuth> entry : args.registryAuths().entrySet()) {
                if (RegistryLogin.domain(entry.getKey()).equals(reference.domain())) {
                    return entry.getValue();
                }
            }
            return null;
        }

        private void arg(Instruction step) {
            String text = step.rest().strip();
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            String fallback = equals < 0 ? null : stages.started() ? expand(text.substring(equals + 1))
                    : Substitution.expand(text.substring(equals + 1), globalArgs, escape);
            if (fallback == null && stages.started()) {
                fallback = globalArgs.get(name);
            }
            String given = args.buildArgs().get(name);
            if (args.buildArgs().containsKey(name)) {
                usedArgs.add(name);
            }
            String value = given != null ? given : fallback;
            if (value != null) {
                (stages.started() ? declaredArgs : globalArgs).put(name, value);
            }
        }

        private void run(Instruction step) throws IOException {
            List<String> command = new ArrayList<>();
            if (step.isExecForm()) {
                command.addAll(step.json());
            } else {
                command.addAll(shell);
                command.add(step.rest());
            }
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
                    id -> out.accept(" ---> Running in " + id.substring(0, 12) + "\n"), out, cancelled);
            try {
                if (ran.status() != 0) {
                    throw new StepFailed("The command '" + String.join(" ", command) + "' returned a non-zero code: "
                            + ran.status(), ran.status());
                }
                image = graph.committer().commit(new CommitImage(ran.id(), null, List.of(), null, null, null, null,
                        RUNTIME_MOUNTS), this::editConfig).id();
                clearOnBuild = false;
                remember(parent, key);
            } finally {
                containers.remove(ran.id());
                out.accept("Removing intermediate container " + ran.id().substring(0, 12) + "\n");
            }
        }

        private void copy(Instruction step) throws IOException {
            String keyword = step.keyword();
            for (String flag : step.flags().keySet()) {
                boolean known = flag.equals("chown") || (flag.equals("from") && keyword.equals("COPY"));
                if (!known) {
                    throw EngineException.invalid("berth does not support " + keyword + " --" + flag);
                }
            }
            List<String> words = step.isExecForm() ? step.json() : List.of(expand(step.rest()).strip().split("\\s+"));
            if (words.size() < 2) {
                throw EngineException.invalid(keyword + " requires at least two arguments");
            }
            List<String> sources = words.subList(0, words.size() - 1);
            String destination = words.get(words.size() - 1);
            for (String source : sources) {
                if (source.contains("://")) {
                    throw EngineException.invalid(keyword.equals("ADD")
                            ? "berth does not support ADD of a URL (" + source + "): builds have no network to fetch it; "
                                    + "download it into the context and ADD the file"
                            : "source can't be a URL for COPY");
                }
            }
            String chown = step.flags().get("chown");
            chown = chown == null || chown.isEmpty() ? null : expand(chown);
            String from = step.flags().get("from");
            if (from == null || from.isEmpty()) {
                copyFrom(keyword, context, sources, destination, chown, keyword.equals("ADD"));
                return;
            }
            String source = stageOrImage(expand(from));
            String id = snapshotId();
            graph.prepareSnapshot(id, source);
            try {
                Path rootfs = Path.of(graph.mountSnapshot(id).rootfs());
                copyFrom(keyword + " --from=" + source, rootfs, sources, destination, chown, false);
            } finally {
                graph.removeSnapshot(id);
            }
        }

        /** COPY --from's source: an earlier stage by name or number, else an image (pulled when missing). */
        private String stageOrImage(String from) throws IOException {
            Optional<String> stage = stages.copySource(from);
            if (stage.isPresent()) {
                return stage.get();
            }
            return localOrPulled(from);
        }

        /** Copies sources below root; ADD extracts the local tars among them into the destination. */
        private void copyFrom(String what, Path root, List<String> sources, String destination, String chown, boolean extract)
                throws IOException {
            List<CopySources.Placement> placements = CopySources.place(root, sources, destination, workdir);
            String key = what + " " + CopyArchive.digest(placements) + (chown == null ? "" : " chown " + chown)
                    + (extract ? " extracting archives" : "");
            if (fromCache(key)) {
                return;
            }
            String parent = image;
            List<CopySources.Placement> written = new ArrayList<>();
            for (CopySources.Placement placement : placements) {
                written.add(extract && isArchive(placement.source()) ? extracted(placement.source(), destination) : placement);
            }
            image = commitSnapshot(List.of(), rootfs -> {
                CopyArchive.Owner owner = chown == null ? null : Chown.resolve(rootfs, chown);
                Path tar = work.resolve("copy-" + (++scratchFiles) + ".tar");
                CopyArchive.write(written, tar, owner);
                return tar;
            }, this::editConfig);
            remember(parent, key);
        }

        /** A local tar (plain or compressed) unpacked by the hardened extractor, to be copied into the destination directory. */
        private CopySources.Placement extracted(Path archive, String destination) throws IOException {
            Path into = Files.createDirectory(work.resolve("add-" + (++scratchFiles)));
            try (InputStream raw = Files.newInputStream(archive); InputStream tar = Decompression.inflate(raw, limits)) {
                new SafeTarExtractor(FileOps.linux(), SafeTarExtractor.Options.of("archive " + context.relativize(archive),
                        limits.maxBytes(), limits.maxEntries())).extract(tar, into);
            } catch (UnsafeArchiveException e) {
                throw EngineException.invalid("ADD failed: " + e.getMessage());
            }
            return new CopySources.Placement(into, CopySources.directory(destination, workdir), true);
        }

        private String expand(String text) {
            Map<String, String> variables = new LinkedHashMap<>(declaredArgs);
            variables.putAll(imageEnv);
            return Substitution.expand(text, variables, escape);
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
            clearOnBuild = false;
            return true;
        }

        /** Records the step that made the current image from parent, for later builds (--no-cache ones too, as dockerd does). */
        private void remember(String parent, String key) throws IOException {
            graph.buildCache().remember(parent, key, image, describing);
        }

        /** The image's Env, WorkingDir and Shell, which later steps' substitutions, paths and commands use. */
        private void refreshFromImage() throws IOException {
            imageEnv.clear();
            workdir = "";
            shell = DEFAULT_SHELL;
            JsonNode config = runtimeConfig();
            if (config != null) {
                for (JsonNode entry : config.path("Env")) {
                    String text = entry.asText();
                    int equals = text.indexOf('=');
                    if (equals > 0) {
                        imageEnv.put(text.substring(0, equals), text.substring(equals + 1));
                    }
                }
                workdir = config.path("WorkingDir").asText("");
                if (config.path("Shell").isArray() && !config.path("Shell").isEmpty()) {
                    List<String> chosen = new ArrayList<>();
                    config.path("Shell").forEach(word -> chosen.add(word.asText()));
                    shell = List.copyOf(chosen);
                }
            }
        }

        /** The current image's runtime config (Env, Cmd …), from the store's parsed configs rather than a full inspect. */
        private JsonNode runtimeConfig() throws IOException {
            return graph.imageStore().config(Digest.parse(image)).config();
        }

        /** What every commit of the build does to the config besides its changes: a base's triggers are not inherited. */
        private void editConfig(ObjectNode config) {
            if (clearOnBuild) {
                config.remove("OnBuild");
            }
        }

        /** A snapshot of the current image, content (if any) extracted into it, committed with changes. */
        private String commitSnapshot(List<String> changes, LayerContent content, Consumer<ObjectNode> edit) throws IOException {
            String id = snapshotId();
            graph.prepareSnapshot(id, image);
            try {
                if (content != null) {
                    Path rootfs = Path.of(graph.mountSnapshot(id).rootfs());
                    Path tar = content.write(rootfs);
                    try (InputStream in = Files.newInputStream(tar)) {
                        new SafeTarExtractor(FileOps.linux(), SafeTarExtractor.Options.of("copy", Long.MAX_VALUE, Long.MAX_VALUE))
                                .extract(in, rootfs);
                    }
                    Files.delete(tar);
                    graph.unmountSnapshot(id);
                }
                String committed = graph.committer().commit(new CommitImage(id, null, changes, null, null, null, null, List.of()),
                        config -> {
                            editConfig(config);
                            edit.accept(config);
                        }).id();
                clearOnBuild = false;
                return committed;
            } finally {
                graph.removeSnapshot(id);
            }
        }
    }

    private static String snapshotId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
