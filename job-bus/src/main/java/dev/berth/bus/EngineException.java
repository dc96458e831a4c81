package dev.berth.bus;

/** A job failure a person can read, with its kind; the only exception that crosses the bus. */
public class EngineException extends RuntimeException {
    private final ErrorKind kind;

    public EngineException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public EngineException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static EngineException notFound(String message) {
        return new EngineException(ErrorKind.NOT_FOUND, message);
    }

    public static EngineException invalid(String message) {
        return new EngineException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static EngineException conflict(String message) {
        return new EngineException(ErrorKind.CONFLICT, message);
    }

    public static EngineException notModified(String message) {
        return new EngineException(ErrorKind.NOT_MODIFIED, message);
    }

    public static EngineException internal(String message, Throwable cause) {
        return new EngineException(ErrorKind.INTERNAL, message, cause);
    }

    /**
     * Wraps anything thrown inside a worker so the caller still gets a readable message. The
     * wrappers that futures and lambdas put around a failure (CompletionException,
     * ExecutionException, UncheckedIOException) are looked through, so an EngineException inside
     * them keeps its kind and any other failure keeps its own message.
     */
    public static EngineException from(Throwable failure) {
        while ((failure instanceof java.util.concurrent.CompletionException
                || failure instanceof java.util.concurrent.ExecutionException
                || failure instanceof java.io.UncheckedIOException) && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof EngineException) {
            return (EngineException) failure;
        }
        if (failure.getCause() instanceof EngineException) {
            return (EngineException) failure.getCause();
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new EngineException(ErrorKind.INTERNAL, message, failure);
    }
}
