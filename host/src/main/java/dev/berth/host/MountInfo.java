package dev.berth.host;

/** The text of /proc/PID/mountinfo, read by the host's mount table and by a container's copy. */
public final class MountInfo {
    private MountInfo() {
    }

    /** A field of /proc/PID/mountinfo as it is: the kernel escapes space, tab, newline and backslash as \ooo. */
    public static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
