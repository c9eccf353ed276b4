package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void rangesMatchTheirAddressesOnly() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, fd00::/8, 172.16.0.0/12");
        assertThat(p.contains(TrustedProxies.literal("10.255.0.1"))).isTrue();
        assertThat(p.contains(TrustedProxies.literal("11.0.0.1"))).isFalse();
        assertThat(p.contains(TrustedProxies.literal("192.168.1.7"))).isTrue();
        assertThat(p.contains(TrustedProxies.literal("192.168.1.8"))).isFalse();
        assertThat(p.contains(TrustedProxies.literal("172.31.255.255"))).isTrue();
        assertThat(p.contains(TrustedProxies.literal("172.32.0.0"))).isFalse();
        assertThat(p.contains(TrustedProxies.literal("fd12:3456::1"))).isTrue();
        assertThat(p.contains(TrustedProxies.literal("fe80::1"))).isFalse();
        // an IPv4-mapped IPv6 peer is its IPv4 address
        assertThat(p.contains(TrustedProxies.literal("::ffff:10.1.2.3"))).isTrue();
        assertThat(TrustedProxies.NONE.contains(TrustedProxies.literal("10.1.2.3"))).isFalse();
    }

    @Test
    void onlyLiteralsAreAddresses() {
        assertThat(TrustedProxies.literal("localhost")).isNull();
        assertThat(TrustedProxies.literal("10.0.0.1:8080")).isNull();
        assertThat(TrustedProxies.literal("unknown")).isNull();
        assertThat(TrustedProxies.literal(" [2001:db8::1] ")).hasSize(16);
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8, proxy.internal"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> TrustedProxies.parse("::/129")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/x")).hasMessageContaining("prefix");
    }
}
