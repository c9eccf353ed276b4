package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.simulators.torture.Torture;
import dev.onshelf.simulators.torture.TortureOptions;
import dev.onshelf.simulators.torture.TortureResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short form of {@code ./onshelf torture} (issue 10, item 7): real redis-server with AOF
 * ({@code appendfsync always}: see below), real Mosquitto, OnShelf as its own JVM ({@code java -jar onshelf.jar run}); four
 * tills stream paced QoS 1 sales over two cycles in which OnShelf is killed -9, Redis is killed -9
 * and the broker is restarted; every product's book is then exactly the primed count less the sales
 * published: 0 lost, 0 doubled.
 */
@Timeout(300)
class TortureIT {

    @Test
    void killsAndRestartsLoseNoSaleAndCountNoneTwice() throws Exception {
        // given the runnable jar, as ./onshelf run starts it
        Path jar = Path.of("target", "onshelf.jar").toAbsolutePath();
        assertThat(jar).as("the runnable jar (mvn package builds it before the ITs)").exists();
        Path work = Files.createDirectories(Path.of("target", "torture-it"));

        // when 10,000 sales stream through two cycles of faults
        // appendfsync always: under everysec Redis 7.0 replies before a write it postpones while a background
        // fsync is slow, so a SIGKILL can take acknowledged sales with it (RELIABILITY.md): that is Redis's
        // bound, which ./onshelf torture (everysec by default) shows; this test holds OnShelf's own exactness
        // cycles of 45 s, not 15: on this 2-core machine under other sessions' load an OnShelf restart took
        // 14-17 s (2026-11-29), and the cycle's next faults then struck after the stream had ended
        TortureResult result = new Torture(jar, work, TortureOptions.of(2, 10_000).withAppendfsync("always")
            .withAckHorizonMillis(0).withCycleSeconds(45)).run();

        // then every fault struck during the stream, and every book is exact
        assertThat(result.faults()).hasSize(6);
        assertThat(result.faultsDuringStream()).as("every fault struck during the stream (%s)", result).isTrue();
        assertThat(result.lost()).as("sales lost (%s)", result).isZero();
        assertThat(result.doubled()).as("sales doubled (%s)", result).isZero();
    }
}
