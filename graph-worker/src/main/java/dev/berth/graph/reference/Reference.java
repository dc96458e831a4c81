package dev.berth.graph.reference;

import dev.berth.bus.EngineException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image name as Docker normalises it: domain, repository path, and an optional tag and digest.
 * {@code busybox} is {@code docker.io/library/busybox}; its familiar form drops the default domain
 * and the {@code library/} prefix again. The grammar is the distribution project's reference
 * grammar; parse errors carry Docker's wording.
 */
public final class Reference {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int NAME_MAX = 255;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final Pattern REFERENCE = Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern TAG_ONLY = Pattern.compile("^" + TAG + "$");
    private static final Pattern FULL_ID = Pattern.compile("^[a-f0-9]{64}$");

    private final String domain;
    private final String path;
    private final String tag;
    private final String digest;

    private Reference(String domain, String path, String tag, String digest) {
        this.domain = domain;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses what a user or client typed ({@code busybox}, {@code localhost:5000/x/y:1},
     * {@code docker.io/library/busybox@sha256:…}) into its normalised form.
     */
    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw EngineException.invalid("invalid reference format: repository name must have at least one component");
        }
        if (FULL_ID.matcher(text).matches()) {
            throw EngineException.invalid("invalid repository name (" + text + "), cannot specify 64-byte hexadecimal strings");
        }
        String[] split = splitDomain(text);
        String remainder = split[1];
        int tagSeparator = remainder.indexOf(':');
        String remote = tagSeparator >= 0 ? remainder.substring(0, tagSeparator) : remainder;
        int at = remote.indexOf('@');
        if (at >= 0) {
            remote = remote.substring(0, at);
        }
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            throw EngineException.invalid("invalid reference format: repository name (" + remote + ") must be lowercase");
        }
        String full = split[0] + "/" + remainder;
        Matcher m = REFERENCE.matcher(full);
        if (!m.matches()) {
            throw EngineException.invalid("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > NAME_MAX) {
            throw EngineException.invalid("invalid reference format: repository name must not be more than 255 characters");
        }
        int slash = name.indexOf('/');
        return new Reference(name.substring(0, slash), name.substring(slash + 1), m.group(2),
                m.group(3) == null ? null : m.group(3).toLowerCase(Locale.ROOT));
    }

    /** Docker's rule for telling a registry host from the first path component. */
    private static String[] splitDomain(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return new String[] {DEFAULT_DOMAIN, OFFICIAL_PREFIX + name};
        }
        String first = name.substring(0, slash);
        String rest = name.substring(slash + 1);
        String domain;
        String remote;
        if (first.equals("localhost") || first.contains(".") || first.contains(":")
                || !first.toLowerCase(Locale.ROOT).equals(first)) {
            domain = first.equals(LEGACY_DOMAIN) ? DEFAULT_DOMAIN : first;
            remote = rest;
        } else {
            domain = DEFAULT_DOMAIN;
            remote = name;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remote.indexOf('/') < 0) {
            remote = OFFICIAL_PREFIX + remote;
        }
        return new String[] {domain, remote};
    }

    /** True when text is a full 64-hex image id without its algorithm. */
    public static boolean isFullHexId(String text) {
        return FULL_ID.matcher(text).matches();
    }

    public String domain() {
        return domain;
    }

    public String path() {
        return path;
    }

    /** The tag, or null. */
    public String tag() {
        return tag;
    }

    /** The digest ("sha256:…"), or null. */
    public String digest() {
        return digest;
    }

    /** The full repository name, e.g. docker.io/library/busybox. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository name as Docker shows it, e.g. busybox or localhost:5000/x/y. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }

    /** The whole reference as Docker shows it: busybox:latest, x/y@sha256:…. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    /** The whole normalised reference, e.g. docker.io/library/busybox:latest. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Adds the default tag when the reference has neither tag nor digest. */
    public Reference withDefaultTag() {
        return tag == null && digest == null ? new Reference(domain, path, DEFAULT_TAG, null) : this;
    }

    /** The same repository with another tag (and no digest). */
    public Reference withTag(String newTag) {
        if (!TAG_ONLY.matcher(newTag).matches()) {
            throw EngineException.invalid("invalid tag format");
        }
        return new Reference(domain, path, newTag, null);
    }

    /** The same repository with a digest ("sha256:…") and no tag, as RepoDigests name an image. */
    public Reference withDigest(String newDigest) {
        if (!newDigest.matches(DIGEST)) {
            throw EngineException.invalid("invalid reference format: invalid digest " + newDigest);
        }
        return new Reference(domain, path, null, newDigest.toLowerCase(Locale.ROOT));
    }

    /** The repository alone, without tag or digest. */
    public Reference repository() {
        return new Reference(domain, path, null, null);
    }

    public boolean isTagged() {
        return tag != null;
    }

    public boolean isDigested() {
        return digest != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reference && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
