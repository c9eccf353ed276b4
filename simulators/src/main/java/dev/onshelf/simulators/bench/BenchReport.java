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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The run's figures: bench-results/{timestamp}.json, the tables in BENCHMARKS.md (between the
 * bench:table markers) and, for a labelled run, a row in its levers table (bench:levers markers).
 */
final class BenchReport {
    static final String START = "<!-- bench:table:start -->";
    static final String END = "<!-- bench:table:end -->";
    static final String LEVERS_END = "<!-- bench:levers:end -->";
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    final ObjectNode root = mapper.createObjectNode();
    private final Instant started = Instant.now();
    private final Lever lever;

    BenchReport(boolean quick, Lever lever) {
        this.lever = lever;
        root.put("date", started.toString());
        root.put("mode", quick ? "quick" : "full");
        root.put("label", lever.label());
        ObjectNode env = root.putObject("onshelfEnv");
        lever.env().forEach(env::put);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        machine.put("memoryBytes", os.getTotalMemorySize());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /** The run's name in bench-results: its start, e.g. 20261129-063104. */
    String stamp() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
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
        Path file = dir.resolve(stamp() + ".json");
        mapper.writeValue(file.toFile(), root);
        Path md = repo.resolve("BENCHMARKS.md");
        String text = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n\n" + START + "\n" + END + "\n";
        String name = "bench-results/" + file.getFileName();
        int a = text.indexOf(START);
        int b = text.indexOf(END);
        if (a >= 0 && b > a) {
            text = text.substring(0, a + START.length()) + "\n" + BenchTable.render(root, name) + text.substring(b);
        }
        if (lever.isSet()) {
            text = insertBefore(text, LEVERS_END, BenchTable.leverRow(root, name));
        }
        Files.writeString(md, text);
        return file;
    }

    /** {@code text} with {@code line} inserted on the line before {@code marker}; unchanged without the marker. */
    static String insertBefore(String text, String marker, String line) {
        int at = text.indexOf(marker);
        return at < 0 ? text : text.substring(0, at) + line + text.substring(at);
    }
}
