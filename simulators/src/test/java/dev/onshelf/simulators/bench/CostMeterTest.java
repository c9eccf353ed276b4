package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void dividesEachProcessesCpuByTheEventsAndTheSeconds() {
        // given: 10,000 events in 2 s; Redis used 0.4 s of CPU, OnShelf 1.2 s, the broker could not be read
        CostMeter.Mark from = new CostMeter.Mark(0, new RedisInfo(10.0, Map.of(
            "evalsha", new RedisInfo.Command(500, 10_000), "info", new RedisInfo.Command(7, 70))),
            Map.of("onshelf", 3.0, "broker", Double.NaN));
        CostMeter.Mark to = new CostMeter.Mark(2 * SECOND, new RedisInfo(10.4, Map.of(
            "evalsha", new RedisInfo.Command(10_500, 310_000), "hget", new RedisInfo.Command(20_500, 40_000),
            "info", new RedisInfo.Command(9, 90))),
            Map.of("onshelf", 4.2, "broker", Double.NaN));

        // when
        ObjectNode cost = CostMeter.cost(from, to, 10_000, new ObjectMapper().createObjectNode());

        // then: µs per event and cores busy; a process that cannot be read is left out
        assertThat(cost.get("events").asLong()).isEqualTo(10_000);
        assertThat(cost.get("seconds").asDouble()).isEqualTo(2.0);
        assertThat(cost.at("/cpuMicrosPerEvent/redis").asDouble()).isEqualTo(40.0);
        assertThat(cost.at("/cpuMicrosPerEvent/onshelf").asDouble()).isEqualTo(120.0);
        assertThat(cost.at("/coresBusy/redis").asDouble()).isEqualTo(0.2);
        assertThat(cost.at("/coresBusy/onshelf").asDouble()).isEqualTo(0.6);
        assertThat(cost.at("/cpuMicrosPerEvent/broker").isMissingNode()).isTrue();
        // Redis's commands, most time first; the marks' own INFO calls (2 in 10,000 events) left out
        assertThat(cost.get("redisCommands")).hasSize(2);
        assertThat(cost.at("/redisCommands/0/command").asText()).isEqualTo("evalsha");
        assertThat(cost.at("/redisCommands/0/callsPerEvent").asDouble()).isEqualTo(1.0);
        assertThat(cost.at("/redisCommands/0/usecPerCall").asDouble()).isEqualTo(30.0);
        assertThat(cost.at("/redisCommands/1/command").asText()).isEqualTo("hget");
        assertThat(cost.at("/redisCommands/1/callsPerEvent").asDouble()).isEqualTo(2.05);
    }
}
