package dev.berth.api.image;

import dev.berth.bus.contract.image.LoadProgress;
import dev.berth.bus.contract.image.TransferProgress;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;

/** Docker's progress messages (jsonmessage objects), as the CLI renders them, from the worker's {@link LoadProgress}. */
final class ProgressJson {
    private static final int BAR = 50;

    private ProgressJson() {
    }

    /** {"stream": text}, or {"status","progressDetail":{current,total},"progress":"[==>  ] 1.2MB/3.4MB","id"}. */
    static JsonObject of(LoadProgress progress) {
        if (progress.layer() == null) {
            return new JsonObject().put("stream", progress.message() == null ? "" : progress.message());
        }
        JsonObject detail = new JsonObject().put("current", progress.current());
        if (progress.total() > 0) {
            detail.put("total", progress.total());
        }
        return new JsonObject().put("status", "Loading layer").put("progressDetail", detail)
                .put("progress", bar(progress.current(), progress.total())).put("id", progress.layer());
    }

    /**
     * A pull's or push's line: {"status","id"} (with "progressDetail":{} when about a layer), a
     * bar as {"status","progressDetail":{current,total},"progress","id"}, or a push's result as
     * {"progressDetail":{},"aux":{"Tag","Digest","Size"}}.
     */
    static JsonObject of(TransferProgress progress) {
        if (progress.pushed() != null) {
            TransferProgress.PushedManifest pushed = progress.pushed();
            return new JsonObject().put("progressDetail", new JsonObject()).put("aux", new JsonObject()
                    .put("Tag", pushed.tag()).put("Digest", pushed.digest()).put("Size", pushed.size()));
        }
        JsonObject json = new JsonObject().put("status", progress.status());
        if (progress.total() > 0 || progress.current() > 0) {
            JsonObject detail = new JsonObject().put("current", progress.current());
            if (progress.total() > 0) {
                detail.put("total", progress.total());
            }
            json.put("progressDetail", detail).put("progress", bar(progress.current(), progress.total()));
        } else if (progress.id() != null && !progress.status().startsWith("Pulling from")) {
            json.put("progressDetail", new JsonObject());
        }
        if (progress.id() != null) {
            json.put("id", progress.id());
        }
        return json;
    }

    /** {"errorDetail":{"message"},"error"}: how a stream that already began reports a failure. */
    static JsonObject error(String text) {
        return new JsonObject().put("errorDetail", new JsonObject().put("message", text)).put("error", text);
    }

    static String bar(long current, long total) {
        if (total <= 0) {
            return size(current);
        }
        int filled = (int) Math.min(BAR, BAR * current / total);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return bar.append("] ").append(size(current)).append('/').append(size(total)).toString();
    }

    /** Go's units.HumanSize: decimal units, 4 significant digits. */
    static String size(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        String number = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return number + units[unit];
    }
}
