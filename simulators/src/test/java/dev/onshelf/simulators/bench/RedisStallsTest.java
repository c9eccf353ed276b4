package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisStallsTest {
    @Test
    void theSlowestCommandsAreNamedWithTheirTimeAndHowManyArgumentsTheyHad() {
        List<Object> args = new ArrayList<>(List.of("EVALSHA", "a1b2", "10"));
        for (int i = 0; i < 28; i++) {
            args.add("x");
        }
        args.add("... (492 more arguments)");  // Redis keeps 32 arguments of a slow command
        List<Object> entries = new ArrayList<>(List.of(  // the newest first, as SLOWLOG GET gives them
            List.of(8L, 1_795_000_001L, 11_000L, List.of("HGET", "k", "f"), "127.0.0.1:5000", ""),
            List.of(7L, 1_795_000_000L, 69_100L, args, "127.0.0.1:5000", ""),
            List.of(6L, 1_795_000_000L, 12_000L, List.of("XADD", "k", "*", "f", "v"), "127.0.0.1:5000", "")));
        for (int i = 0; i < 5; i++) {
            entries.add(List.of(5L - i, 1_795_000_000L, 10_500L, List.of("PING"), "127.0.0.1:5000", ""));
        }
        assertThat(RedisStalls.slowest(entries))
            .isEqualTo("; slowest: EVALSHA (523 args) 69.1 ms, XADD (5 args) 12.0 ms, HGET (3 args) 11.0 ms, "
                + "PING (1 args) 10.5 ms, PING (1 args) 10.5 ms");
    }

    @Test
    void anEmptySlowLogSaysNothing() {
        assertThat(RedisStalls.slowest(List.of())).isEmpty();
    }
}
