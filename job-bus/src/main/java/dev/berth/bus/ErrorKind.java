package dev.berth.bus;

/**
 * What went wrong with a job, independent of transport. Workers classify; the gateway maps each
 * kind to one HTTP status in one place. The numeric code travels on the bus as the failure code.
 */
public enum ErrorKind {
    NOT_MODIFIED(304),
    INVALID_ARGUMENT(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    NOT_IMPLEMENTED(501),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int httpStatus;

    ErrorKind(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static ErrorKind ofCode(int code) {
        for (ErrorKind kind : values()) {
            if (kind.httpStatus == code) {
                return kind;
            }
        }
        return INTERNAL;
    }
}
