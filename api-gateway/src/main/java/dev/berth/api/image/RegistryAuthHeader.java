package dev.berth.api.image;

import dev.berth.bus.contract.image.RegistryAuth;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The credentials a client sends in X-Registry-Auth: base64url (padded or not; some clients use
 * the standard alphabet) of {"username","password","auth","serveraddress","identitytoken",
 * "registrytoken"}. "auth" is base64 of user:password, as in a config.json. A header that does
 * not decode means no credentials, as dockerd treats it on pulls.
 */
final class RegistryAuthHeader {
    static final String NAME = "X-Registry-Auth";

    private RegistryAuthHeader() {
    }

    static RegistryAuth decode(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            String text = header.trim().replace('+', '-').replace('/', '_');
            return fromJson(new JsonObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The credentials a build's client sends in X-Registry-Config: base64url of a JSON object of
     * AuthConfigs by registry address. An entry without a serveraddress takes its key. A header
     * that does not decode means no credentials, as with X-Registry-Auth.
     */
    static Map<String, RegistryAuth> decodeConfig(String header) {
        Map<String, RegistryAuth> auths = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return auths;
        }
        try {
            String text = header.trim().replace('+', '-').replace('/', '_');
            JsonObject byRegistry = new JsonObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            for (String registry : byRegistry.fieldNames()) {
                RegistryAuth auth = fromJson(byRegistry.getJsonObject(registry));
                auths.put(registry, auth.serverAddress() != null ? auth
                        : new RegistryAuth(auth.username(), auth.password(), auth.identityToken(), auth.registryToken(), registry));
            }
            return auths;
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return new LinkedHashMap<>();
        }
    }

    /** The credentials of a JSON object with Docker's AuthConfig fields (also POST /auth's body). */
    static RegistryAuth fromJson(JsonObject json) {
        String username = json.getString("username");
        String password = json.getString("password");
        String auth = json.getString("auth");
        if ((username == null || username.isEmpty()) && auth != null && !auth.isEmpty()) {
            String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                username = pair.substring(0, colon);
                password = pair.substring(colon + 1);
            }
        }
        return new RegistryAuth(emptyToNull(username), password, emptyToNull(json.getString("identitytoken")),
                emptyToNull(json.getString("registrytoken")), emptyToNull(json.getString("serveraddress")));
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
