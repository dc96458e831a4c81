package dev.berth.graph.content;

import dev.berth.bus.EngineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A sha256 content digest, written "sha256:&lt;64 hex&gt;". The only algorithm Berth stores. */
public record Digest(String hex) implements Comparable<Digest> {
    public static final String ALGORITHM = "sha256";
    private static final Pattern HEX = Pattern.compile("^[a-f0-9]{64}$");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw EngineException.invalid("invalid digest " + hex);
        }
    }

    /** Parses "sha256:hex"; other algorithms and malformed values are INVALID_ARGUMENT. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith(ALGORITHM + ":")) {
            throw EngineException.invalid("unsupported digest " + text);
        }
        return new Digest(text.substring(ALGORITHM.length() + 1));
    }

    /** Parses "sha256:hex" or a bare 64-hex value. */
    public static Digest parseLenient(String text) {
        return text != null && text.startsWith(ALGORITHM + ":") ? parse(text) : new Digest(text);
    }

    public static boolean isDigest(String text) {
        return text != null && text.startsWith(ALGORITHM + ":") && HEX.matcher(text.substring(ALGORITHM.length() + 1)).matches();
    }

    public static Digest of(byte[] bytes) {
        MessageDigest sha = newSha256();
        return new Digest(HexFormat.of().formatHex(sha.digest(bytes)));
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Docker's 12-character short form. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return hex.compareTo(other.hex);
    }
}
