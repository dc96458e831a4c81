package dev.berth.bus;

/**
 * What went wrong with a job, independent of transport. Workers classify; the gateway maps each
 * kind to one HTTP status in one place. Each kind has its own {@link #code()}, which is what
 * travels on the bus: two kinds may share an HTTP status, never a code.
 */
public enum ErrorKind {
    NOT_MODIFIED(304, 304),
    INVALID_ARGUMENT(400, 400),
    UNAUTHENTICATED(401, 401),
    FORBIDDEN(403, 403),
    NOT_FOUND(404, 404),
    CONFLICT(409, 409),
    PAYLOAD_TOO_LARGE(413, 413),
    NOT_IMPLEMENTED(501, 501),
    UNAVAILABLE(503, 503),
    /**
     * The job did not finish before its deadline. Docker has no status of its own for this; a 503
     * says "the engine could not do it now", which is what a client should hear, and lets a
     * client that retries on 503 retry.
     */
    DEADLINE_EXCEEDED(504, 503),
    INTERNAL(500, 500);

    private final int code;
    private final int httpStatus;

    ErrorKind(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The number that stands for this kind on the wire; unique per kind. */
    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The kind a wire {@link #code()} stands for; INTERNAL for a code no kind has. */
    public static ErrorKind ofCode(int code) {
        for (ErrorKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return INTERNAL;
    }
}
