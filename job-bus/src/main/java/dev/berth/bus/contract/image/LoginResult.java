package dev.berth.bus.contract.image;

/** The answer of {@code registry.login}: the credentials were accepted; an identity token when the registry gave one. */
public record LoginResult(String status, String identityToken) {
    /** The identity token is a credential: a logged result never shows it. */
    @Override
    public String toString() {
        return "LoginResult[status=" + status + ", identityToken=" + (identityToken == null || identityToken.isEmpty()
                ? "none" : "hidden") + "]";
    }
}
