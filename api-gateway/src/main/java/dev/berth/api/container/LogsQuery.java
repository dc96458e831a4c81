package dev.berth.api.container;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.UnixTimeParam;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.logs.ReadLogs;

/** The query of GET /containers/{id}/logs read as Docker reads it, as logs.read arguments. */
final class LogsQuery {
    private LogsQuery() {
    }

    /**
     * The job's arguments. {@code timestamps} and {@code details} are the gateway's to honour,
     * when it frames the records.
     */
    static ReadLogs readLogs(ApiRequest request) {
        boolean stdout = request.bool("stdout", false);
        boolean stderr = request.bool("stderr", false);
        if (!stdout && !stderr) {
            throw EngineException.invalid("You must choose at least one stream");
        }
        return new ReadLogs(request.path("id"), stdout, stderr, request.bool("follow", false), tail(request.query("tail")),
                UnixTimeParam.unixNanos("since", request.query("since")), UnixTimeParam.unixNanos("until", request.query("until")));
    }

    /** "all", empty, or anything that is not a count means every line, as in Docker. */
    static int tail(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int lines = Integer.parseInt(value.trim());
            return lines < 0 ? -1 : lines;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
