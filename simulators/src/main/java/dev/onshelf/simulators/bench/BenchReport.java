package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onshelf.simulators.load.LoadResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;

/** The run's figures: bench-results/{timestamp}.json, and the table in BENCHMARKS.md. */
final class BenchReport {
    private static final String START = "<!-- bench:table:start -->";
    private static final String END = "<!-- bench:table:end -->";
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    final ObjectNode root = mapper.createObjectNode();
    private final Instant started = Instant.now();

    BenchReport(boolean quick) {
        root.put("date", started.toString());
        root.put("mode", quick ? "quick" : "full");
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        machine.put("memoryBytes", os.getTotalMemorySize());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    ObjectNode section(String name) {
        return root.has(name) ? (ObjectNode) root.get(name) : root.putObject(name);
    }

    static void accuracy(ObjectNode node, LoadResult r) {
        LoadResult.Counts c = r.counts();
        node.put("correctPct", round(c.correctPct()));
        node.put("falseYesPct", round(c.falseYesPct()));
        node.put("falseNoPct", round(c.falseNoPct()));
        node.put("unknownPct", round(c.unknownPct()));
        node.put("judged", c.judged());
        node.put("errors", c.errors());
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    Path write(Path repo) throws IOException {
        root.put("seconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000);
        Path dir = Files.createDirectories(repo.resolve("bench-results"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path file = dir.resolve(stamp + ".json");
        mapper.writeValue(file.toFile(), root);
        Path md = repo.resolve("BENCHMARKS.md");
        String text = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n\n" + START + "\n" + END + "\n";
        int a = text.indexOf(START);
        int b = text.indexOf(END);
        if (a >= 0 && b > a) {
            Files.writeString(md, text.substring(0, a + START.length()) + "\n" + table(file) + text.substring(b));
        }
        return file;
    }

    String table(Path file) {
        StringBuilder t = new StringBuilder();
        ObjectNode m = (ObjectNode) root.get("machine");
        t.append(String.format(Locale.ROOT, "Latest run: %s (%s), %d cores, %.0f GiB, %s; raw figures in `%s`.%n%n",
            root.get("date").asText(), root.get("mode").asText(), m.get("cores").asInt(),
            m.get("memoryBytes").asDouble() / (1L << 30), m.get("jvm").asText(), "bench-results/" + file.getFileName()));
        t.append("| figure | OnShelf | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|\n");
        row(t, "ingest, events/s (QoS 1, applied + acked)", "ingest", "eventsPerSecond", "baselineEventsPerSecond",
            "≥ 0.5× broker", r -> r >= 0.5, true);
        row(t, "ingest vs a plain Paho subscriber (no work)", "ingest", "eventsPerSecond", "pahoSinkEventsPerSecond",
            "—", r -> true, true);
        single(t, "freshness p50, ms (publish → visible in API)", "freshness", "p50Ms", "—", v -> true);
        single(t, "freshness p99, ms", "freshness", "p99Ms", "≤ 50", v -> v <= 50);
        single(t, "freshness p99.9, ms", "freshness", "p999Ms", "—", v -> true);
        row(t, "API single lookups/s (64 connections)", "api", "requestsPerSecond", "baselineRequestsPerSecond",
            "≥ 0.8× bare route", r -> r >= 0.8, true);
        row(t, "API p99, ms", "api", "p99Ms", "baselineP99Ms", "≤ 10", r -> true, false);
        single(t, "Redis bytes per (store, product)", "memory", "bytesPerPair", "≤ 64", v -> v <= 64);
        single(t, "accuracy, healthy fleet: false yes %", "accuracyHealthy", "falseYesPct", "≤ 0.1", v -> v <= 0.1);
        single(t, "accuracy, fault mix: correct %", "accuracy", "correctPct", "—", v -> true);
        single(t, "accuracy, fault mix: false yes %", "accuracy", "falseYesPct", "≤ 1", v -> v <= 1);
        single(t, "accuracy, fault mix: unknown %", "accuracy", "unknownPct", "—", v -> true);
        return t.toString();
    }

    private void row(StringBuilder t, String label, String section, String key, String baseKey, String target,
                     java.util.function.DoublePredicate ok, boolean ratioTarget) {
        if (!root.has(section)) {
            return;
        }
        double v = root.get(section).path(key).asDouble();
        double b = root.get(section).path(baseKey).asDouble();
        double ratio = b == 0 ? 0 : v / b;
        boolean met = ratioTarget ? ok.test(ratio) : (section.equals("api") && v <= 10);
        t.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.2f× | %s | %s |%n", label, v, b, ratio, target,
            target.equals("—") ? "—" : met ? "yes" : "**no**"));
    }

    private void single(StringBuilder t, String label, String section, String key, String target,
                        java.util.function.DoublePredicate ok) {
        if (!root.has(section)) {
            return;
        }
        double v = root.get(section).path(key).asDouble();
        t.append(String.format(Locale.ROOT, "| %s | %,.3f | — | — | %s | %s |%n", label, v, target,
            target.equals("—") ? "—" : ok.test(v) ? "yes" : "**no**"));
    }
}
