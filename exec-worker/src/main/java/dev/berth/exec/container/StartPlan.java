package dev.berth.exec.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps that start a container, each with what undoes it. The steps run in order; when one
 * fails, the ones that had succeeded are undone in reverse order, and the start fails with the
 * first error. A new part of a container (volumes, resources, port mappings) is one more step.
 */
final class StartPlan {
    private static final Logger LOG = LoggerFactory.getLogger(StartPlan.class);

    /** One step: apply it, and undo it if a later step fails. Undo never throws. */
    interface Step {
        String name();

        CompletableFuture<Void> apply();

        CompletableFuture<Void> undo();
    }

    private final String containerId;
    private final List<Step> steps = new ArrayList<>();
    private final StringBuilder timings = new StringBuilder();

    StartPlan(String containerId) {
        this.containerId = containerId;
    }

    StartPlan then(Step step) {
        steps.add(step);
        return this;
    }

    StartPlan then(String name, Supplier<CompletableFuture<Void>> apply, Supplier<CompletableFuture<Void>> undo) {
        return then(new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<Void> apply() {
                return apply.get();
            }

            @Override
            public CompletableFuture<Void> undo() {
                return undo.get();
            }
        });
    }

    /** Where the time of the last run went, for the debug log. */
    String timings() {
        return timings.toString().trim();
    }

    /** Runs every step; on failure, undoes the applied ones and fails with the step's error. */
    CompletableFuture<Void> run() {
        Deque<Step> applied = new ArrayDeque<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Step step : steps) {
            chain = chain.thenCompose(v -> {
                long started = System.nanoTime();
                CompletableFuture<Void> result;
                try {
                    result = step.apply();
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                return result.thenRun(() -> {
                    applied.push(step);
                    timings.append(step.name()).append(' ').append((System.nanoTime() - started) / 100_000 / 10.0).append("ms ");
                });
            });
        }
        return chain.handle((v, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(null);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return undo(applied).thenCompose(v -> CompletableFuture.<Void>failedFuture(cause));
        });
    }

    private CompletableFuture<Void> undo(Deque<Step> applied) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        while (!applied.isEmpty()) {
            Step step = applied.pop();
            chain = chain.thenCompose(v -> {
                CompletableFuture<Void> undone;
                try {
                    undone = step.undo();
                } catch (RuntimeException e) {
                    undone = CompletableFuture.failedFuture(e);
                }
                return undone.handle((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("undoing step {} of the start of {} failed: {}", step.name(), containerId, failure.toString());
                    }
                    return null;
                });
            });
        }
        return chain;
    }
}
