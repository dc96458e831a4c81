package dev.berth.graph.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A registry's error answer in the words dockerd uses: the distribution API's
 * {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}} reads
 * "manifest unknown: manifest unknown" (the code in lower case, then the message).
 */
final class RegistryErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryErrors() {
    }

    /** The registry's own words for a failed answer, or the HTTP status when it gave none. */
    static String describe(int status, byte[] body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                String code = first.path("code").asText("UNKNOWN").replace('_', ' ').toLowerCase(Locale.ROOT);
                return code + ": " + first.path("message").asText("");
            }
        } catch (IOException | RuntimeException e) {
            // not the distribution API's error shape: fall back to the status
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).trim();
        return "unexpected status " + status + (text.isEmpty() ? "" : ": " + text);
    }

    /** The error kind that a registry status means to a client of Berth. */
    static EngineException of(int status, String message) {
        ErrorKind kind = switch (status) {
            case 401 -> ErrorKind.UNAUTHENTICATED;
            case 403 -> ErrorKind.FORBIDDEN;
            case 404 -> ErrorKind.NOT_FOUND;
            case 400 -> ErrorKind.INVALID_ARGUMENT;
            default -> ErrorKind.UNAVAILABLE;
        };
        return new EngineException(kind, message);
    }
}
