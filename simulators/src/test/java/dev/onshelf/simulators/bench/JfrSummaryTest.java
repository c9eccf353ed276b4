package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JfrSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private static JfrSummary.Sample sample(int second, String thread, String... frames) {
        return new JfrSummary.Sample(T0.plusSeconds(second), thread, List.of(frames));
    }

    private final List<JfrSummary.Sample> samples = List.of(
        sample(1, "vert.x-eventloop-thread-0", "java.lang.String.hashCode", "dev.onshelf.aggregator.redis.Keys.bucket",
            "dev.onshelf.gateway.mqtt.Ingest.apply"),
        sample(2, "vert.x-eventloop-thread-1", "java.lang.String.hashCode", "dev.onshelf.aggregator.redis.Keys.prefix"),
        sample(3, "lettuce-epollEventLoop-4-1", "io.lettuce.core.protocol.CommandArgs.encode"),
        sample(4, "MQTT Rec: bench-gateway-17", "org.eclipse.paho.mqttv5.common.packet.CountingInputStream.read"),
        sample(20, "vert.x-eventloop-thread-0", "io.vertx.core.json.JsonObject.encode",
            "dev.onshelf.api.http.Lookup.answer"));

    @Test
    void foldsDigitsOfThreadNamesIntoOnePool() {
        assertThat(JfrSummary.pool("vert.x-eventloop-thread-12")).isEqualTo("vert.x-eventloop-thread-#");
        assertThat(JfrSummary.pool("lettuce-epollEventLoop-4-1")).isEqualTo("lettuce-epollEventLoop-#-#");
    }

    @Test
    void countsTopFramesMostFirstAndTiesByName() {
        List<JfrSummary.Count> top = JfrSummary.top(samples, JfrSummary::topFrame, 3);

        assertThat(top).containsExactly(new JfrSummary.Count("java.lang.String.hashCode", 2),
            new JfrSummary.Count("io.lettuce.core.protocol.CommandArgs.encode", 1),
            new JfrSummary.Count("io.vertx.core.json.JsonObject.encode", 1));
    }

    @Test
    void attributesEachSampleToTheFirstOnShelfFrameOnItsStack() {
        assertThat(JfrSummary.firstOwnFrame(samples.get(0))).isEqualTo("dev.onshelf.aggregator.redis.Keys.bucket");
        assertThat(JfrSummary.firstOwnFrame(samples.get(2))).isEqualTo("(no OnShelf frame)");
        assertThat(JfrSummary.topFrame(sample(0, "t"))).isEqualTo("(empty stack)");
    }

    @Test
    void rendersEachWindowWithOnlyItsOwnSamples() {
        // given: an ingest window over the first four samples, an API window over the last
        List<JfrSummary.Window> windows = List.of(new JfrSummary.Window("ingest", T0, T0.plusSeconds(10)),
            new JfrSummary.Window("API", T0.plusSeconds(15), T0.plusSeconds(25)));

        // when
        String text = JfrSummary.render("profile", windows, samples, 10);

        // then
        String ingest = text.substring(text.indexOf("== ingest"), text.indexOf("== API"));
        String api = text.substring(text.indexOf("== API"));
        assertThat(ingest).contains("4 execution samples", "vert.x-eventloop-thread-#", "50.0%  java.lang.String.hashCode",
            "MQTT Rec: bench-gateway-#", "dev.onshelf.aggregator.redis.Keys.bucket").doesNotContain("JsonObject");
        assertThat(api).contains("1 execution samples", "100.0%  io.vertx.core.json.JsonObject.encode",
            "dev.onshelf.api.http.Lookup.answer").doesNotContain("hashCode");
    }

    @Test
    void readsTheExecutionSamplesOfARealRecording(@TempDir Path dir) throws Exception {
        // given: a recording of this JVM while a thread spins in a method of its own
        Path file = dir.resolve("test.jfr");
        Instant from = Instant.now();
        List<JfrSummary.Sample> read = List.of();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            // on a loaded 2-core machine the sampler may catch nothing in a second: spin until it has
            // caught this thread, within a deadline (when: the recording so far, read back)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && read.stream().noneMatch(JfrSummaryTest::ofSpin)) {
                spin(TimeUnit.MILLISECONDS.toNanos(500));
                recording.dump(file);
                read = JfrSummary.read(file);
            }
            recording.stop();
        }

        // then: samples of the spinning method, on this thread, within the run's window
        JfrSummary.Window window = new JfrSummary.Window("test", from.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(JfrSummary.within(read, window)).isNotEmpty();
        assertThat(read).anySatisfy(s -> {
            assertThat(s.frames()).contains(JfrSummaryTest.class.getName() + ".spin");
            assertThat(s.thread()).isEqualTo(Thread.currentThread().getName());
        });
    }

    private static boolean ofSpin(JfrSummary.Sample s) {
        return s.frames().contains(JfrSummaryTest.class.getName() + ".spin");
    }

    /**
     * Busy in Java code: most of the time between two clock reads. A sample that lands inside
     * {@code System.nanoTime} (a native clock call) cannot be walked and is dropped, and a loop that read
     * the clock on every turn gave the sampler almost nothing: CI once saw only the reading's samples in 20 s.
     */
    private static long spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100_000; i++) {
                x += Long.numberOfTrailingZeros(x * 31 + 7);
            }
        }
        sink = x;  // used: the compiler may not drop the loop
        return x;
    }

    private static volatile long sink;
}
