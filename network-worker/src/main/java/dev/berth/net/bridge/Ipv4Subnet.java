package dev.berth.net.bridge;

import dev.berth.bus.EngineException;

/** An IPv4 subnet in CIDR form; addresses are unsigned 32-bit values held in a long. */
public record Ipv4Subnet(long network, int prefixLength) {
    public Ipv4Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw EngineException.invalid("invalid prefix length " + prefixLength);
        }
        network = network & mask(prefixLength);
    }

    /** "10.1.2.0/24"; a host address such as "10.1.2.1/24" names its subnet too. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw EngineException.invalid("invalid CIDR address: " + cidr);
        }
        try {
            return new Ipv4Subnet(parseAddress(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid CIDR address: " + cidr);
        }
    }

    public static long parseAddress(String address) {
        String[] parts = address == null ? new String[0] : address.split("\\.", -1);
        if (parts.length != 4) {
            throw EngineException.invalid("invalid IPv4 address: " + address);
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw EngineException.invalid("invalid IPv4 address: " + address);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw EngineException.invalid("invalid IPv4 address: " + address);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    private static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : 0xffffffffL << (32 - prefixLength) & 0xffffffffL;
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    public long broadcast() {
        return network + size() - 1;
    }

    public boolean contains(long address) {
        return (address & mask(prefixLength)) == network;
    }

    public boolean overlaps(Ipv4Subnet other) {
        return contains(other.network) || other.contains(network);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
