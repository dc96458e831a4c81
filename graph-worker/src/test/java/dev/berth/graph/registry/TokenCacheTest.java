package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void aTokenIsReusedUntilShortlyBeforeItExpires() {
        TokenCache cache = new TokenCache(clock);
        String key = TokenCache.key("https://auth/token", "reg", "repository:a:pull", "alice");
        cache.put(key, "t1", 60, null);
        now.set(now.get().plusSeconds(54));
        assertThat(cache.get(key)).isEqualTo("t1");
        now.set(now.get().plusSeconds(1));
        assertThat(cache.get(key)).isNull();
    }

    @Test
    void tokensAreKeptApartByUserAndScope() {
        TokenCache cache = new TokenCache(clock);
        cache.put(TokenCache.key("r", "s", "repository:a:pull", "alice"), "alice's", 300, null);
        assertThat(cache.get(TokenCache.key("r", "s", "repository:a:pull", "bob"))).isNull();
        assertThat(cache.get(TokenCache.key("r", "s", "repository:a:pull,push", "alice"))).isNull();
        assertThat(cache.get(TokenCache.key("r", "s", "repository:a:pull", "alice"))).isEqualTo("alice's");
    }

    @Test
    void aPrincipalNamesTheUserAndADigestOfTheSecretNeverTheSecret() {
        String principal = TokenCache.principal("alice", "password:s3cret");
        assertThat(principal).startsWith("alice#").doesNotContain("s3cret").hasSize("alice#".length() + 64);
        assertThat(TokenCache.principal("alice", "password:s3cret")).isEqualTo(principal);
        assertThat(TokenCache.principal("alice", "password:other")).isNotEqualTo(principal);
        assertThat(TokenCache.principal(null, "identity:t")).startsWith("#");
    }

    @Test
    void issuedAtCountsFromTheServicesClock() {
        TokenCache cache = new TokenCache(clock);
        cache.put("k", "old", 60, now.get().minusSeconds(58));
        assertThat(cache.get("k")).isNull();
    }
}
