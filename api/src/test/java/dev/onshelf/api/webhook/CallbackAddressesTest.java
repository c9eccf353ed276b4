package dev.onshelf.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a webhook may call: global unicast only, every other range refused. */
class CallbackAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
        "127.1.2.3", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.170", "192.0.2.1",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
        "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
        "::ffff:169.254.169.254", "64:ff9b::7f00:1", "100::1", "fc00::1", "fd00:ec2::254", "fdff::1",
        "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1", "2001::1", "2001:1ff::1", "2001:db8::1",
        "2002:7f00:1::1", "2002:a00:1::1", "3fff::1", "3fff:fff::1", "4000::1", "8000::1"})
    void nonGlobalAddressesAreRefused(String literal) throws Exception {
        assertThat(CallbackAddresses.isGlobal(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
        "192.0.1.1", "192.169.0.1", "198.17.0.1", "198.20.0.1", "223.255.255.254", "93.184.216.34",
        "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2001:200::1", "::ffff:8.8.8.8", "3ffe::1"})
    void globalAddressesAreAllowed(String literal) throws Exception {
        assertThat(CallbackAddresses.isGlobal(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @Test
    void anIpv4MappedAddressKeptAsIpv6IsJudgedByItsIpv4Part() throws Exception {
        // the JDK turns ::ffff:a.b.c.d into an Inet4Address; a raw Inet6Address of the same bytes must not slip by
        byte[] loopback = new byte[16];
        loopback[10] = (byte) 0xff;
        loopback[11] = (byte) 0xff;
        loopback[12] = 127;
        loopback[15] = 1;
        assertThat(CallbackAddresses.isGlobal(Inet6Address.getByAddress(null, loopback, -1))).isFalse();
        byte[] google = loopback.clone();
        google[12] = 8;
        google[13] = 8;
        google[14] = 8;
        google[15] = 8;
        assertThat(CallbackAddresses.isGlobal(Inet6Address.getByAddress(null, google, -1))).isTrue();
    }

    @Test
    void resolutionChecksEveryAddressUnlessPrivateIsAllowed() throws Exception {
        assertThatThrownBy(() -> CallbackAddresses.resolve("localhost", false)).isInstanceOf(CallbackAddresses.Refused.class);
        assertThatThrownBy(() -> CallbackAddresses.resolve("::ffff:127.0.0.1", false))
            .isInstanceOf(CallbackAddresses.Refused.class);
        assertThat(CallbackAddresses.resolve("127.0.0.1", true)).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(CallbackAddresses.resolve("8.8.8.8", false)).containsExactly(InetAddress.getByName("8.8.8.8"));
    }
}
