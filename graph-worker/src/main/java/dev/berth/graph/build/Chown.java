package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The owner {@code COPY --chown=user[:group]} gives: numbers as they are, names looked up in the
 * image's own /etc/passwd and /etc/group (read inside its file system, links followed within it).
 * Without a group, the group id is the user id, as Docker documents.
 */
final class Chown {
    private Chown() {
    }

    static CopyArchive.Owner resolve(Path rootfs, String spec) throws IOException {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        if (user.isEmpty() || (group != null && group.isEmpty())) {
            throw EngineException.invalid("invalid --chown value \"" + spec + "\"");
        }
        int uid = id(rootfs, "etc/passwd", user, "uid for user");
        int gid = group == null ? uid : id(rootfs, "etc/group", group, "gid for group");
        return new CopyArchive.Owner(uid, gid);
    }

    private static int id(Path rootfs, String database, String name, String what) throws IOException {
        if (name.matches("\\d+")) {
            try {
                return Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw EngineException.invalid("invalid --chown id " + name);
            }
        }
        Path file = RootedPaths.resolve(rootfs, database);
        List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && fields[0].equals(name) && fields[2].matches("\\d+")) {
                return Integer.parseInt(fields[2]);
            }
        }
        throw EngineException.invalid("unable to convert uid/gid chown string to host mapping: can't find " + what + " " + name
                + ": no such name in /" + database + " of the image");
    }
}
