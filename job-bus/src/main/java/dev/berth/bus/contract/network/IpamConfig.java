package dev.berth.bus.contract.network;

/**
 * One address range of a network: its subnet in CIDR form, the gateway's address in it, and
 * optionally the part of the subnet containers get addresses from (null: all of it).
 */
public record IpamConfig(String subnet, String gateway, String ipRange) {
    public IpamConfig(String subnet, String gateway) {
        this(subnet, gateway, null);
    }
}
