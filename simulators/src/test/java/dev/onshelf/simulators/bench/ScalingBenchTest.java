package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingBenchTest {
    private final BenchOptions quick = BenchOptions.quickRun();

    private static ObjectNode cost(double redis) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putObject("cpuMicrosPerEvent").put("redis", redis);
        return c;
    }

    @Test
    void anIngestRowPerPublisherCountWithItsRatioSizeAndCosts() {
        // given: the main point (4 publishers) and a shorter one
        Map<Integer, ScalingBench.Point> onShelf = Map.of(1, new ScalingBench.Point(3000, null, cost(30)),
            4, new ScalingBench.Point(5000, null, cost(40)));
        Map<Integer, ScalingBench.Point> broker = Map.of(1, new ScalingBench.Point(10_000, null, cost(0)),
            4, new ScalingBench.Point(20_000, null, cost(0)));
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();

        // when
        new ScalingBench(quick, null).ingestRows(rows, new java.util.TreeMap<>(onShelf), broker);

        // then
        assertThat(rows).hasSize(2);
        assertThat(rows.at("/0/publishers").asInt()).isEqualTo(1);
        assertThat(rows.at("/0/events").asInt()).isEqualTo(quick.scalingIngestEvents());
        assertThat(rows.at("/0/ratio").asDouble()).isEqualTo(0.3);
        assertThat(rows.at("/0/cost/cpuMicrosPerEvent/redis").asDouble()).isEqualTo(30);
        assertThat(rows.at("/1/events").asInt()).isEqualTo(quick.ingestEvents());
        assertThat(rows.at("/1/ratio").asDouble()).isEqualTo(0.25);
    }

    @Test
    void theScalingPointsIncludeTheMainFigures() {
        assertThat(BenchOptions.SCALING_PUBLISHERS).contains(quick.publishers());
        assertThat(BenchOptions.SCALING_CONNECTIONS).contains(quick.apiConcurrency());
        assertThat(BenchOptions.SCALING_PUBLISHERS).contains(BenchOptions.fullRun().publishers());
        assertThat(BenchOptions.SCALING_CONNECTIONS).contains(BenchOptions.fullRun().apiConcurrency());
    }
}
