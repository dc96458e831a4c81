package dev.berth.bus;

/** Bus addresses. Per node, one per worker; events are cluster-wide. */
public final class JobAddresses {
    public static final String EVENTS = "berth.events";
    private static final String STREAM_PREFIX = "berth.stream.";

    private JobAddresses() {
    }

    public static String worker(String node, WorkerKind kind) {
        return "berth." + node + "." + kind.addressPart();
    }

    /** The inbox of one side of a stream: "c" for the caller, "w" for the worker. */
    public static String streamInbox(String streamId, char side) {
        return STREAM_PREFIX + streamId + "." + side;
    }
}
