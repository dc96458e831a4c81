package dev.berth.api;

/**
 * Versions the API reports. Berth reports the Docker Engine release whose API it speaks, because
 * clients compare it (Testcontainers needs at least 1.6.0); its own version is a component.
 */
public final class EngineVersion {
    public static final String DOCKER_COMPATIBLE = "28.5.2";
    public static final String BERTH = "0.1.0";

    private EngineVersion() {
    }
}
