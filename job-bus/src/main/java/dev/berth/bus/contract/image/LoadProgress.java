package dev.berth.bus.contract.image;

/**
 * One chunk the graph worker sends back during {@code image.load}: either a line of text for the
 * user (message, ending in a newline) or how far the loading of one layer got (layer, its short
 * id; current and total bytes, total 0 when unknown). The gateway renders it as Docker's
 * progress messages.
 */
public record LoadProgress(String message, String layer, long current, long total) {
    public static LoadProgress message(String text) {
        return new LoadProgress(text, null, 0, 0);
    }

    public static LoadProgress layer(String shortId, long current, long total) {
        return new LoadProgress(null, shortId, current, total);
    }
}
