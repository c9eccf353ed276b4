package dev.onshelf.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The meters an operator needs beside the ingest ones (deploy/prometheus, deploy/grafana): the JVM's,
 * whether each dependency is connected, the gateway's in-flight limit, and histogram buckets for the
 * two latencies the alert rules take a p99 of. Bucket bounds are fixed and few (11 per series), so a
 * histogram costs a known number of series.
 */
final class OperationsMeters implements AutoCloseable {
    static final String DEPENDENCY_UP = "onshelf.dependency.up";
    static final String RECEIVE_MAXIMUM = "onshelf.gateway.receive.maximum";
    /** Timers whose Prometheus series get {@code _bucket}s: the API's response time and the apply time. */
    static final Set<String> HISTOGRAMS = Set.of("vertx.http.server.response.time", "onshelf.aggregator.apply.duration");
    private static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Call before any meter is registered: a filter does not change a meter that already exists. */
    static void histograms(MeterRegistry registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HISTOGRAMS.contains(id.getName())) {
                    return config;
                }
                double[] nanos = new double[BOUNDS_SECONDS.length];  // a timer's buckets are in nanoseconds
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = BOUNDS_SECONDS[i] * 1e9;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        });
    }

    /** Binds the JVM's meters (memory, GC, threads, classes, CPU, uptime). */
    OperationsMeters(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** 1 while {@code dependency} (redis, mqtt) is connected, else 0: what /health/ready reports, as a series. */
    static void dependency(MeterRegistry registry, String dependency, BooleanSupplier connected) {
        Gauge.builder(DEPENDENCY_UP, connected, c -> c.getAsBoolean() ? 1 : 0).tag("dependency", dependency).strongReference(true)
            .description("1 while the dependency is connected (as /health/ready sees it), else 0").register(registry);
    }

    /** The broker's window (ONSHELF_MQTT_RECEIVE_MAXIMUM): in flight near it for long means ingest falls behind. */
    static void receiveMaximum(MeterRegistry registry, int receiveMaximum) {
        Gauge.builder(RECEIVE_MAXIMUM, () -> receiveMaximum)
            .description("unacknowledged messages the broker may have in flight to this gateway").register(registry);
    }

    @Override
    public void close() {
        gc.close();
    }
}
