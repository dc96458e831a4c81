package dev.berth.graph.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens a registry's token service gave, reused until shortly before they expire. Keyed
 * by realm, service, scopes and principal (the user and a digest of the password or identity
 * token), so one user's token never serves another, nor a caller who names a user with a wrong
 * secret. Tokens live in memory only; the credentials that got them are never kept.
 */
public final class TokenCache {
    /** Tokens are dropped this long before their expiry, so none expires in flight. */
    private static final long MARGIN_SECONDS = 5;
    private static final int MAX_ENTRIES = 1024;

    private record Entry(String token, Instant expires) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenCache(Clock clock) {
        this.clock = clock;
    }

    public static String key(String realm, String service, String scopes, String user) {
        return realm + "\n" + service + "\n" + scopes + "\n" + (user == null ? "" : user);
    }

    /**
     * Who a token is for: the user and a SHA-256 of the secret that got it. The digest lives in
     * memory only, as the tokens do.
     */
    public static String principal(String user, String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return (user == null ? "" : user) + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The token for a key while it is valid; null otherwise. */
    public String get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key, entry);
            return null;
        }
        return entry.token();
    }

    /** Keeps a token; expiresInSeconds counts from issuedAt (now when the service did not say). */
    public void put(String key, String token, long expiresInSeconds, Instant issuedAt) {
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        Instant start = issuedAt != null ? issuedAt : clock.instant();
        entries.put(key, new Entry(token, start.plusSeconds(Math.max(0, expiresInSeconds - MARGIN_SECONDS))));
    }

    public void forget(String key) {
        entries.remove(key);
    }
}
