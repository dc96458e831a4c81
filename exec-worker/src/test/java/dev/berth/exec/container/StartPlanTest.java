package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class StartPlanTest {
    private final List<String> journal = new ArrayList<>();

    private StartPlan.Step step(String name, boolean fails) {
        return new StartPlan.Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<Void> apply() {
                journal.add("apply " + name);
                return fails ? CompletableFuture.failedFuture(EngineException.invalid(name + " failed"))
                        : CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> undo() {
                journal.add("undo " + name);
                return name.equals("rootfs") ? CompletableFuture.failedFuture(new IllegalStateException("busy"))
                        : CompletableFuture.completedFuture(null);
            }
        };
    }

    @Test
    void runsEveryStepInOrder() throws Exception {
        new StartPlan("c").then(step("sandbox", false)).then(step("rootfs", false)).then(step("runtime", false)).run().get();
        assertThat(journal).containsExactly("apply sandbox", "apply rootfs", "apply runtime");
    }

    @Test
    void aFailedStepUndoesTheAppliedOnesInReverseAndFailsWithItsError() {
        CompletableFuture<Void> run = new StartPlan("c").then(step("sandbox", false)).then(step("rootfs", false))
                .then(step("bundle", false)).then(step("runtime", true)).then(step("never", false)).run();
        assertThat(run).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(EngineException.class).withMessage("runtime failed");
        // The failed step itself is not undone; an undo that fails does not stop the others.
        assertThat(journal).containsExactly("apply sandbox", "apply rootfs", "apply bundle", "apply runtime",
                "undo bundle", "undo rootfs", "undo sandbox");
    }

    @Test
    void aStepThatThrowsIsAFailedStep() {
        StartPlan.Step throwing = new StartPlan.Step() {
            @Override
            public String name() {
                return "spec";
            }

            @Override
            public CompletableFuture<Void> apply() {
                throw EngineException.invalid("No command specified");
            }

            @Override
            public CompletableFuture<Void> undo() {
                return CompletableFuture.completedFuture(null);
            }
        };
        CompletableFuture<Void> run = new StartPlan("c").then(step("sandbox", false)).then(throwing).run();
        assertThat(run).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause().withMessage("No command specified");
        assertThat(journal).containsExactly("apply sandbox", "undo sandbox");
    }
}
