package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeTest {
    @Test
    void pollsHalfwayToTheExpectedEndWithinBounds() {
        // 1,000 events a second seen; 2,000 left: about 2 s to go, so the next poll in 1 s, held to 500 ms
        assertThat(Scrape.pollMillis(2_000, 1_000, 1_000_000_000L)).isEqualTo(500);
        // 100 left at that rate: 100 ms to go, next poll in 50 ms
        assertThat(Scrape.pollMillis(100, 1_000, 1_000_000_000L)).isEqualTo(50);
        // 10 left: never closer than 20 ms apart
        assertThat(Scrape.pollMillis(10, 1_000, 1_000_000_000L)).isEqualTo(20);
        // nothing done yet: no rate, the default
        assertThat(Scrape.pollMillis(5_000, 0, 1_000_000_000L)).isEqualTo(50);
    }
}
