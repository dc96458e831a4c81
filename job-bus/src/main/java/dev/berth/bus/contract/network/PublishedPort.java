package dev.berth.bus.contract.network;

/**
 * One host port forwarded to a container's port.
 *
 * @param protocol {@code tcp} or {@code udp}
 * @param hostIp the host address it answers on; {@code 0.0.0.0} for all of them
 */
public record PublishedPort(String protocol, int containerPort, String hostIp, int hostPort) {
}
