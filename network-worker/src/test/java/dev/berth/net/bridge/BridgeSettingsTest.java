package dev.berth.net.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the default bridge's subnet is chosen, and the address pool that hands out its addresses. */
class BridgeSettingsTest {
    private static final List<AddressPoolSpec> POOLS = List.of(AddressPoolSpec.defaultPool());

    @Test
    void bipWinsThenTheBridgesOwnAddressThenThePools() {
        BridgeSettings bip = BridgeSettings.choose("bt1", "10.123.4.1/24", Optional.of("10.9.9.1/24"), POOLS, List.of());
        assertThat(bip.subnet()).hasToString("10.123.4.0/24");
        assertThat(bip.gatewayAddress()).isEqualTo("10.123.4.1");
        BridgeSettings existing = BridgeSettings.choose("bt1", null, Optional.of("10.9.9.1/24"), POOLS, List.of());
        assertThat(existing.subnet()).hasToString("10.9.9.0/24");
        BridgeSettings pooled = BridgeSettings.choose("bt1", null, Optional.empty(), POOLS, List.of());
        assertThat(pooled.subnet()).hasToString("10.199.0.0/20");
        assertThat(pooled.gatewayAddress()).isEqualTo("10.199.0.1");
    }

    @Test
    void aPoolSubnetThatOverlapsAHostRouteIsSkipped() {
        List<Ipv4Subnet> routes = List.of(Ipv4Subnet.parse("0.0.0.0/0"), Ipv4Subnet.parse("10.199.3.0/24"),
                Ipv4Subnet.parse("172.17.0.0/16"));
        assertThat(BridgeSettings.choose("bt1", null, Optional.empty(), POOLS, routes).subnet()).hasToString("10.199.16.0/20");
        List<Ipv4Subnet> everything = List.of(Ipv4Subnet.parse("10.0.0.0/8"));
        assertThatThrownBy(() -> BridgeSettings.choose("bt1", null, Optional.empty(), POOLS, everything))
                .isInstanceOf(EngineException.class).hasMessageContaining("no subnet");
    }

    @Test
    void badNamesAndAddressesAreRefused() {
        for (String name : new String[] {"", "a-name-longer-than-15", "br/0", "br 0"}) {
            assertThatThrownBy(() -> BridgeSettings.choose(name, "10.1.2.1/24", Optional.empty(), POOLS, List.of()))
                    .as(name).isInstanceOf(EngineException.class);
        }
        for (String bip : new String[] {"10.1.2.1", "10.1.2.0/24", "10.1.2.255/24", "10.1.2.300/24", "10.1.2.1/33", "x/24"}) {
            assertThatThrownBy(() -> BridgeSettings.choose("bt1", bip, Optional.empty(), POOLS, List.of()))
                    .as(bip).isInstanceOf(EngineException.class);
        }
    }

    @Test
    void thePoolSkipsTheGatewayAndReusesReleasedAddressesLast() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("10.1.2.0/29");
        AddressPool pool = new AddressPool(subnet, Ipv4Subnet.parseAddress("10.1.2.1"));
        assertThat(Ipv4Subnet.format(pool.allocate())).isEqualTo("10.1.2.2");
        long third = pool.allocate();
        assertThat(Ipv4Subnet.format(third)).isEqualTo("10.1.2.3");
        pool.release(third);
        assertThat(Ipv4Subnet.format(pool.allocate())).isEqualTo("10.1.2.4");
        assertThat(pool.reserve(Ipv4Subnet.parseAddress("10.1.2.6"))).isTrue();
        assertThat(Ipv4Subnet.format(pool.allocate())).isEqualTo("10.1.2.5");
        assertThat(Ipv4Subnet.format(pool.allocate())).isEqualTo("10.1.2.3");
        assertThatThrownBy(pool::allocate).isInstanceOf(EngineException.class).hasMessageContaining("no available IPv4 addresses");
        assertThat(pool.inUse()).isEqualTo(5);
    }
}
