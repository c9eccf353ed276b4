package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo listens on loopback unless told otherwise, and its secrets are random, not guessable. */
class DemoConfigTest {

    @Test
    void theDemoListensOnLoopbackUnlessToldOtherwise() {
        assertThat(Main.demoConfig(Map.of(), "tcp://127.0.0.1:1", "redis://127.0.0.1:2", 8080).httpHost())
            .isEqualTo("127.0.0.1");
        assertThat(Main.demoConfig(Map.of("ONSHELF_HTTP_HOST", "0.0.0.0"), "tcp://127.0.0.1:1", "redis://127.0.0.1:2", 8080)
            .httpHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void theDemosSecretsAreRandom() {
        OnShelfConfig a = Main.demoConfig(Map.of(), "tcp://127.0.0.1:1", "redis://127.0.0.1:2", 8080);
        OnShelfConfig b = Main.demoConfig(Map.of(), "tcp://127.0.0.1:1", "redis://127.0.0.1:2", 8080);
        assertThat(a.adminToken()).isNotEqualTo(b.adminToken()).hasSizeGreaterThanOrEqualTo(43 + "demo-admin-".length());
        assertThat(a.staffJwtSecret()).isNotEqualTo(b.staffJwtSecret()).hasSizeGreaterThanOrEqualTo(43);
        // 256 bits, not a clock: no two tokens share their random part's prefix
        assertThat(a.adminToken().substring(11, 19)).isNotEqualTo(b.adminToken().substring(11, 19));
        assertThat(Main.demoConfig(Map.of("ONSHELF_ADMIN_TOKEN", "given-token-0123456789"), "tcp://127.0.0.1:1",
            "redis://127.0.0.1:2", 8080).adminToken()).isEqualTo("given-token-0123456789");
    }
}
