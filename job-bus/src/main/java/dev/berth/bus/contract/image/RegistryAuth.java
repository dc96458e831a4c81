package dev.berth.bus.contract.image;

/**
 * Credentials for one registry request, as the client sent them in X-Registry-Auth (or the body
 * of POST /auth). They travel with the job and are used for that job only: no worker stores
 * them. {@link #toString()} hides the secrets, so a logged job never shows them.
 *
 * @param serverAddress the registry they are for, as the client names it (may be empty)
 */
public record RegistryAuth(String username, String password, String identityToken, String registryToken,
        String serverAddress) {
    public static final RegistryAuth NONE = new RegistryAuth(null, null, null, null, null);

    /**
     * Whether there is a user and a password to send. An empty password is none, as in Docker:
     * the CLI's config.json keeps "user:" beside an identity token.
     */
    public boolean hasPassword() {
        return username != null && !username.isEmpty() && password != null && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", serverAddress=" + serverAddress + ", secrets hidden]";
    }
}
