package dev.berth.bus.contract.image;

/**
 * One chunk of {@code image.build}: a line of output for the user (stream, ending in a newline)
 * or, as the last chunk, why the build failed (error, with code: a failing RUN's exit status,
 * which the CLI exits with).
 */
public record BuildProgress(String stream, String error, int code) {
    public static BuildProgress line(String text) {
        return new BuildProgress(text, null, 0);
    }

    public static BuildProgress failure(String message, int code) {
        return new BuildProgress(null, message, code);
    }
}
