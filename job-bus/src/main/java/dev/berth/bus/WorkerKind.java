package dev.berth.bus;

/** The specialised workers of a node; each listens on its own address. */
public enum WorkerKind {
    EXEC("exec"),
    GRAPH("graph"),
    NETWORK("network"),
    LOGS("logs");

    private final String addressPart;

    WorkerKind(String addressPart) {
        this.addressPart = addressPart;
    }

    public String addressPart() {
        return addressPart;
    }
}
