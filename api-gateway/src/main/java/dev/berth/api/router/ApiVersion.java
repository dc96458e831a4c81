package dev.berth.api.router;

/** A Docker API version such as 1.41, compared numerically. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    public static final ApiVersion MAX = new ApiVersion(1, 51);

    public static ApiVersion parse(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("invalid API version " + text);
        }
        try {
            return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid API version " + text, e);
        }
    }

    public boolean atLeast(int otherMajor, int otherMinor) {
        return compareTo(new ApiVersion(otherMajor, otherMinor)) >= 0;
    }

    public boolean below(int otherMajor, int otherMinor) {
        return !atLeast(otherMajor, otherMinor);
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
