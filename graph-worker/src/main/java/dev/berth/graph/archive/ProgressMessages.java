package dev.berth.graph.archive;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Docker's jsonmessage objects, as the CLI renders them. */
public final class ProgressMessages {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int BAR = 50;

    private ProgressMessages() {
    }

    public static ObjectNode stream(String text) {
        return NODES.objectNode().put("stream", text);
    }

    public static ObjectNode status(String id, String status) {
        ObjectNode message = NODES.objectNode().put("status", status);
        if (id != null) {
            message.put("id", id);
        }
        return message;
    }

    /** {"status","progressDetail":{current,total},"progress":"[==>  ] 1.2MB/3.4MB","id"}. */
    public static ObjectNode progress(String id, String status, long current, long total) {
        ObjectNode message = status(id, status);
        ObjectNode detail = message.putObject("progressDetail").put("current", current);
        if (total > 0) {
            detail.put("total", total);
        }
        message.put("progress", bar(current, total));
        return message;
    }

    public static ObjectNode error(String text) {
        ObjectNode message = NODES.objectNode();
        message.putObject("errorDetail").put("message", text);
        message.put("error", text);
        return message;
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
        String number = new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return number + units[unit];
    }
}
