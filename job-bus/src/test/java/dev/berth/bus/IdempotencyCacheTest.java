package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger runs = new AtomicInteger();
    private final IdempotencyCache<String> cache =
            new IdempotencyCache<>(Duration.ofMinutes(10), 3, 10, 25, String::length, now::get);

    private Supplier<Future<String>> job(String reply) {
        return () -> {
            runs.incrementAndGet();
            return Future.succeededFuture(reply);
        };
    }

    @Test
    void aKeySeenRecentlyGetsTheSameOutcomeWithoutRunning() {
        assertThat(cache.once("k", job("first")).result()).isEqualTo("first");
        assertThat(cache.once("k", job("second")).result()).isEqualTo("first");
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aCopyJoinsTheRunningJob() {
        Promise<String> running = Promise.promise();
        Future<String> first = cache.once("k", () -> running.future());
        Future<String> second = cache.once("k", job("never"));
        assertThat(second.isComplete()).isFalse();
        running.complete("done");
        assertThat(first.result()).isEqualTo("done");
        assertThat(second.result()).isEqualTo("done");
        assertThat(runs.get()).isZero();
    }

    @Test
    void outcomesExpire() {
        cache.once("k", job("a"));
        now.addAndGet(Duration.ofMinutes(10).toMillis() - 1);
        cache.once("k", job("b"));
        assertThat(runs.get()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(cache.once("k", job("c")).result()).isEqualTo("c");
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void theOldestKeysGoFirstPastTheBound() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            cache.once(key, job(key));
        }
        assertThat(cache.size()).isEqualTo(3);
        cache.once("a", job("again"));
        assertThat(runs.get()).isEqualTo(5);
    }

    @Test
    void memoryIsBoundedByBytesAndABigOutcomeIsNotKept() {
        cache.once("big", job("x".repeat(11)));
        cache.once("big", job("x".repeat(11)));
        assertThat(runs.get()).isEqualTo(2);
        cache.once("a", job("x".repeat(10)));
        cache.once("b", job("x".repeat(10)));
        cache.once("c", job("x".repeat(10)));
        assertThat(cache.totalBytes()).isLessThanOrEqualTo(25);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void definiteFailuresAreKeptAndRetryableOnesForgotten() {
        Supplier<Future<String>> notFound = () -> {
            runs.incrementAndGet();
            return Future.failedFuture(EngineException.notFound("No such container: x"));
        };
        cache.once("nf", notFound);
        assertThat(cache.once("nf", notFound).cause()).hasMessage("No such container: x");
        assertThat(runs.get()).isEqualTo(1);
        Supplier<Future<String>> broken = () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        };
        assertThat(cache.once("broken", broken).failed()).isTrue();
        assertThat(cache.once("broken", broken).failed()).isTrue();
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void aClaimHoldsOnce() {
        assertThat(cache.claim("stream")).isTrue();
        assertThat(cache.claim("stream")).isFalse();
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(cache.claim("stream")).isTrue();
    }
}
