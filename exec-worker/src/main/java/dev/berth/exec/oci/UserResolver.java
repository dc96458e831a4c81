package dev.berth.exec.oci;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Docker's User ("", "name", "uid", "name:group", "uid:gid") into ids, from the files of the
 * container's root file system, as dockerd does. Numeric ids need no entry in the files.
 */
public final class UserResolver {
    private UserResolver() {
    }

    public static ProcessUser resolve(Path rootfs, String user) throws IOException {
        List<String[]> passwd = read(rootfs, "/etc/passwd");
        List<String[]> groups = read(rootfs, "/etc/group");
        String userPart = user == null || user.isEmpty() ? "0" : user;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }

        String[] entry = null;
        for (String[] line : passwd) {
            if (line.length >= 4 && (line[0].equals(userPart) || line[2].equals(userPart))) {
                entry = line;
                break;
            }
        }
        int uid;
        int gid;
        String name;
        String home;
        if (entry != null) {
            uid = parseId(entry[2], user);
            gid = parseId(entry[3], user);
            name = entry[0];
            home = entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
        } else if (isNumeric(userPart)) {
            uid = parseId(userPart, user);
            gid = uid == 0 ? 0 : uid;
            name = null;
            home = uid == 0 ? "/root" : "/";
        } else {
            throw EngineException.invalid("unable to find user " + userPart + ": no matching entries in passwd file");
        }

        if (groupPart != null && !groupPart.isEmpty()) {
            gid = groupId(groups, groupPart, user);
        }
        List<Integer> additional = new ArrayList<>();
        if (name != null) {
            for (String[] group : groups) {
                if (group.length >= 4 && !group[3].isEmpty()) {
                    for (String member : group[3].split(",")) {
                        if (member.trim().equals(name)) {
                            int extra = parseId(group[2], user);
                            if (extra != gid && !additional.contains(extra)) {
                                additional.add(extra);
                            }
                        }
                    }
                }
            }
        }
        return new ProcessUser(uid, gid, additional, home);
    }

    /** The ids of --group-add groups: numbers, or names from the container's /etc/group. */
    public static List<Integer> groupIds(Path rootfs, List<String> names) throws IOException {
        List<String[]> groups = read(rootfs, "/etc/group");
        List<Integer> ids = new ArrayList<>();
        for (String name : names) {
            ids.add(groupId(groups, name, name));
        }
        return ids;
    }

    private static int groupId(List<String[]> groups, String group, String user) {
        for (String[] line : groups) {
            if (line.length >= 3 && (line[0].equals(group) || line[2].equals(group))) {
                return parseId(line[2], user);
            }
        }
        if (isNumeric(group)) {
            return parseId(group, user);
        }
        throw EngineException.invalid("unable to find group " + group + ": no matching entries in group file");
    }

    private static boolean isNumeric(String value) {
        return !value.isEmpty() && value.chars().allMatch(Character::isDigit);
    }

    private static int parseId(String value, String user) {
        try {
            long id = Long.parseLong(value);
            if (id < 0 || id > 0xFFFFFFFEL) {
                throw new NumberFormatException();
            }
            return (int) id;
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid user " + user + ": bad id " + value);
        }
    }

    /** Lines of a colon-separated file inside the root file system; a missing file is empty. */
    private static List<String[]> read(Path rootfs, String file) throws IOException {
        Path path = RootfsPaths.resolve(rootfs, file);
        List<String[]> lines = new ArrayList<>();
        if (!Files.isRegularFile(path) || Files.size(path) > (16 << 20)) {
            return lines;
        }
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(line.split(":", -1));
            }
        }
        return lines;
    }
}
