package dev.berth.bus.contract.network;

/** One address range of a network: its subnet in CIDR form and the gateway's address in it. */
public record IpamConfig(String subnet, String gateway) {
}
