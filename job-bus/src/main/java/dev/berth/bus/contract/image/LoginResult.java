package dev.berth.bus.contract.image;

/** The answer of {@code registry.login}: the credentials were accepted; an identity token when the registry gave one. */
public record LoginResult(String status, String identityToken) {
}
