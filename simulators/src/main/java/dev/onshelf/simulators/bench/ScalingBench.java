package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onshelf.simulators.load.LoadResult;
import dev.onshelf.simulators.load.ShopperLoad;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scaling rows: ingest with 1, 2 and 4 publisher connections (OnShelf and the broker baseline
 * each) and the API at 16, 64 and 256 connections (OnShelf and the bare route each), every point with
 * what it cost each process. The main figures' points (4 publishers, 64 connections) are measured by
 * the harness and passed in; the others are shorter (see {@link BenchOptions}).
 */
final class ScalingBench {
    /** One measured point: its rate (events or requests per second), the load's result if any, its cost. */
    record Point(double rate, LoadResult load, ObjectNode cost) {
        static Point of(LoadResult load, ObjectNode cost) {
            return new Point(load.requestsPerSecond(), load, cost);
        }
    }

    /** Work measured between two marks of the meter. */
    @FunctionalInterface
    interface Measured<T> {
        T run() throws Exception;
    }

    private final BenchOptions o;
    private final CostMeter meter;

    ScalingBench(BenchOptions options, CostMeter meter) {
        this.o = options;
        this.meter = meter;
    }

    /** Runs {@code work} between two marks; the cost is per one of {@code events} (known after, from the result). */
    <T> T measured(Measured<T> work, java.util.function.ToLongFunction<T> events, ObjectNode cost) throws Exception {
        CostMeter.Mark from = meter.mark();
        T result = work.run();
        CostMeter.cost(from, meter.mark(), events.applyAsLong(result), cost);
        return result;
    }

    /** The broker baseline (or OnShelf, with {@code onShelf}) at every publisher count but the main one. */
    Map<Integer, Point> ingestPoints(Map<Integer, BulkPublisher> sets, Point main, IngestRun run) throws Exception {
        Map<Integer, Point> at = new TreeMap<>(Map.of(o.publishers(), main));
        for (Map.Entry<Integer, BulkPublisher> set : sets.entrySet()) {
            if (set.getKey() != o.publishers()) {
                ObjectNode cost = JsonNodeFactory.instance.objectNode();
                double eps = measured(() -> run.eventsPerSecond(set.getValue(), o.scalingIngestEvents()),
                    r -> o.scalingIngestEvents(), cost);
                at.put(set.getKey(), new Point(eps, null, cost));
            }
        }
        return at;
    }

    /** One ingest measurement: {@code events} fresh events through {@code publishers}, events per second. */
    @FunctionalInterface
    interface IngestRun {
        double eventsPerSecond(BulkPublisher publishers, int events) throws Exception;
    }

    /** The API at every connection count but the main one: a short warm-up, then the measured load. */
    Map<Integer, Point> apiPoints(ShopperLoad load, Point main) throws Exception {
        Map<Integer, Point> at = new TreeMap<>(Map.of(o.apiConcurrency(), main));
        for (int n : BenchOptions.SCALING_CONNECTIONS) {
            if (n != o.apiConcurrency()) {
                ApiBench.warm(load, n, o.scalingApiWarmupMillis());
                ObjectNode cost = JsonNodeFactory.instance.objectNode();
                LoadResult r = measured(() -> ApiBench.measure(load, n, o.scalingApiMillis()),
                    x -> x.counts().ok() + x.counts().errors(), cost);
                at.put(n, Point.of(r, cost));
            }
        }
        return at;
    }

    /** Requests a load run sent (answered or failed): what an API phase's cost is divided by. */
    static long requests(LoadResult r) {
        return r.counts().ok() + r.counts().errors();
    }

    void ingestRows(ArrayNode rows, Map<Integer, Point> onShelf, Map<Integer, Point> broker) {
        onShelf.forEach((n, p) -> rows.addObject().put("publishers", n)
            .put("events", n == o.publishers() ? o.ingestEvents() : o.scalingIngestEvents())
            .put("eventsPerSecond", Math.round(p.rate())).put("baselineEventsPerSecond", Math.round(broker.get(n).rate()))
            .put("ratio", BenchReport.round(p.rate() / broker.get(n).rate()))
            .<ObjectNode>set("cost", p.cost()).set("baselineCost", broker.get(n).cost()));
    }

    void apiRows(ArrayNode rows, Map<Integer, Point> onShelf, Map<Integer, Point> bare) {
        onShelf.forEach((n, p) -> {
            LoadResult r = p.load();
            LoadResult b = bare.get(n).load();
            rows.addObject().put("connections", n)
                .put("seconds", (n == o.apiConcurrency() ? o.apiMillis() : o.scalingApiMillis()) / 1000.0)
                .put("requestsPerSecond", Math.round(r.requestsPerSecond()))
                .put("baselineRequestsPerSecond", Math.round(b.requestsPerSecond()))
                .put("ratio", BenchReport.round(r.requestsPerSecond() / b.requestsPerSecond()))
                .put("p99Ms", r.percentileMillis(99)).put("baselineP99Ms", b.percentileMillis(99))
                .put("errors", r.counts().errors())
                .<ObjectNode>set("cost", p.cost()).set("baselineCost", bare.get(n).cost());
        });
    }
}
