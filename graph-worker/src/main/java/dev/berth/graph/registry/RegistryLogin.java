package dev.berth.graph.registry;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.LoginResult;
import dev.berth.bus.contract.image.RegistryAuth;
import dev.berth.graph.reference.Reference;
import java.io.IOException;

/**
 * POST /auth ({@code docker login}): checks credentials against the registry they name, as
 * dockerd does, and keeps nothing. When the registry's token service gives a refresh token for
 * them, it is answered as the identity token, which the CLI then stores instead of the
 * password; a login that brings an identity token is checked through it. The CLI stores the
 * credentials itself when this succeeds.
 */
public final class RegistryLogin {
    private final RegistryHosts hosts;
    private final TokenCache tokens;

    public RegistryLogin(RegistryHosts hosts, TokenCache tokens) {
        this.hosts = hosts;
        this.tokens = tokens;
    }

    public LoginResult login(RegistryAuth credentials) throws IOException {
        boolean hasIdentity = credentials != null && credentials.identityToken() != null
                && !credentials.identityToken().isEmpty();
        if (credentials == null || !hasIdentity && (credentials.username() == null || credentials.username().isEmpty())) {
            throw EngineException.invalid("username is required to log in");
        }
        RegistryClient client = RegistryClient.connect(hosts, tokens, domain(credentials.serverAddress()), credentials);
        String identityToken = client.checkCredentials();
        return new LoginResult("Login Succeeded", identityToken == null ? "" : identityToken);
    }

    /** The registry a server address names: https://index.docker.io/v1/ is docker.io; a scheme and path are dropped. */
    public static String domain(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return Reference.DEFAULT_DOMAIN;
        }
        String address = serverAddress.trim();
        int scheme = address.indexOf("://");
        if (scheme >= 0) {
            address = address.substring(scheme + 3);
        }
        int slash = address.indexOf('/');
        if (slash >= 0) {
            address = address.substring(0, slash);
        }
        if (address.equals("index.docker.io") || address.equals("registry-1.docker.io") || address.isEmpty()) {
            return Reference.DEFAULT_DOMAIN;
        }
        return address;
    }
}
