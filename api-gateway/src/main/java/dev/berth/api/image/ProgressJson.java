package dev.berth.api.image;

import dev.berth.bus.contract.image.LoadProgress;
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
