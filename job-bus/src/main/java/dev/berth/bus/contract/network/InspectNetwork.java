package dev.berth.bus.contract.network;

/**
 * Arguments of {@code network.inspect}: a name, a full id or a unique id prefix; {@code scope},
 * when set, is a scope the network must have ({@code local}, {@code swarm}, {@code global}),
 * as Docker's {@code ?scope=} asks.
 */
public record InspectNetwork(String ref, String scope) {
    public static InspectNetwork of(String ref) {
        return new InspectNetwork(ref, null);
    }
}
