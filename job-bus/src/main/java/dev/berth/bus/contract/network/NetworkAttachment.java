package dev.berth.bus.contract.network;

/**
 * A container attached to a network, as docker network inspect lists it.
 *
 * @param ipv4Address the address with its prefix length, such as {@code 10.1.2.3/24}
 */
public record NetworkAttachment(String containerId, String name, String endpointId, String macAddress, String ipv4Address) {
}
