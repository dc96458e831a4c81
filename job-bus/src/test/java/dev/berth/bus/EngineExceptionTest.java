package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EngineExceptionTest {
    @Test
    void theWrappersOfFuturesAndLambdasAreLookedThrough() {
        EngineException notFound = EngineException.notFound("No such container: web");
        assertThat(EngineException.from(new CompletionException(new ExecutionException(notFound)))).isSameAs(notFound);
        EngineException io = EngineException.from(new CompletionException(new UncheckedIOException(new IOException("disk full"))));
        assertThat(io.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(io.getMessage()).isEqualTo("disk full");
    }

    @Test
    void anythingElseIsAnInternalErrorWithItsOwnMessage() {
        assertThat(EngineException.from(new IllegalStateException("broken")).getMessage()).isEqualTo("broken");
        assertThat(EngineException.from(new NullPointerException()).getMessage()).isEqualTo("NullPointerException");
    }
}
