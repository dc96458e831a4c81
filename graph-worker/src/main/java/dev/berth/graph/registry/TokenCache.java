package dev.berth.graph.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens a registry's token service gave, reused until shortly before they expire. Keyed
 * by realm, service, scopes and user, so one user's token never serves another. Tokens live in
 * memory only; the credentials that got them are never kept.
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
