package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.function.DoublePredicate;

/** The Markdown of a run's figures, from its JSON: what BENCHMARKS.md shows between its markers. */
final class BenchTable {
    private static final String NONE = "—";
    private final JsonNode root;

    private BenchTable(JsonNode root) {
        this.root = root;
    }

    static String render(ObjectNode root, String file) {
        return new BenchTable(root).tables(file);
    }

    private String tables(String file) {
        StringBuilder t = new StringBuilder();
        JsonNode m = root.get("machine");
        String lever = root.path("label").asText().isEmpty() && root.path("onshelfEnv").isEmpty() ? ""
            : String.format(Locale.ROOT, " \"%s\", OnShelf env %s;", cell(root.path("label").asText()), env(root));
        t.append(String.format(Locale.ROOT, "Latest run: %s (%s),%s %d cores, %.0f GiB, %s; raw figures in `%s`.%n%n",
            root.get("date").asText(), root.get("mode").asText(), lever, m.get("cores").asInt(),
            m.get("memoryBytes").asDouble() / (1L << 30), m.get("jvm").asText(), file));
        t.append("| figure | OnShelf | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|\n");
        ratio(t, "ingest, events/s (QoS 1, applied + acked)", "/ingest/eventsPerSecond",
            "/ingest/baselineEventsPerSecond", "≥ 0.5× broker", r -> r >= 0.5);
        ratio(t, "ingest vs a plain Paho subscriber (no work)", "/ingest/eventsPerSecond",
            "/ingest/pahoSinkEventsPerSecond", NONE, r -> true);
        single(t, "ingest: Redis CPU per event, µs", "/cost/ingest/cpuMicrosPerEvent/redis", NONE, v -> true);
        single(t, "ingest: OnShelf JVM CPU per event, µs", "/cost/ingest/cpuMicrosPerEvent/onshelf", NONE, v -> true);
        single(t, "freshness p50, ms (publish → visible in API)", "/freshness/p50Ms", NONE, v -> true);
        single(t, "freshness p99, ms", "/freshness/p99Ms", "≤ 50", v -> v <= 50);
        single(t, "freshness p99.9, ms", "/freshness/p999Ms", NONE, v -> true);
        JsonNode stalls = root.at("/freshness/redisStalls");
        if (!stalls.isMissingNode()) {  // Redis's own latency events and AOF counters during the freshness phase
            t.append("| freshness: Redis stalls (its latency monitor, AOF) | ").append(cell(stalls.asText()))
                .append(" | — | — | — | — |\n");
        }
        // the same probe with a background that does not move with the measured ingest rate (since session 8)
        single(t, "freshness p50 at a fixed background of " + FreshnessBench.FIXED_BACKGROUND + " events/s, ms",
            "/freshnessFixed/p50Ms", NONE, v -> true);
        single(t, "freshness p99 at a fixed background of " + FreshnessBench.FIXED_BACKGROUND + " events/s, ms",
            "/freshnessFixed/p99Ms", NONE, v -> true);
        ratio(t, "API single lookups/s (64 connections)", "/api/requestsPerSecond", "/api/baselineRequestsPerSecond",
            "≥ 0.8× bare route", r -> r >= 0.8);
        both(t, "API p99, ms", "/api/p99Ms", "/api/baselineP99Ms", "≤ 10", v -> v <= 10);
        single(t, "API: Redis CPU per request, µs", "/cost/api/cpuMicrosPerEvent/redis", NONE, v -> true);
        single(t, "Redis bytes per (store, product)", "/memory/bytesPerPair", "≤ 64", v -> v <= 64);
        single(t, "accuracy, healthy fleet: false yes %", "/accuracyHealthy/falseYesPct", "≤ 0.1", v -> v <= 0.1);
        single(t, "accuracy, fault mix: correct %", "/accuracy/correctPct", NONE, v -> true);
        single(t, "accuracy, fault mix: false yes %", "/accuracy/falseYesPct", "≤ 1", v -> v <= 1);
        single(t, "accuracy, fault mix: unknown %", "/accuracy/unknownPct", NONE, v -> true);
        scaling(t);
        costs(t);
        profile(t);
        return t.toString();
    }

    /** A row of the levers table: one side of a before/after. */
    static String leverRow(ObjectNode root, String file) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %.2f× | %s | %s | %s | %s | `%s` |%n",
            root.get("date").asText().substring(0, 16).replace('T', ' '), cell(root.path("label").asText()),
            cell(env(root)), root.at("/ingest/ratio").asDouble(), root.at("/api/ratio").asDouble(),
            decimal(root.at("/api/p99Ms")), decimal(root.at("/freshness/p99Ms")),
            number(root.at("/cost/ingest/cpuMicrosPerEvent/redis")),
            number(root.at("/cost/ingest/cpuMicrosPerEvent/onshelf")), file);
    }

    private void scaling(StringBuilder t) {
        JsonNode ingest = root.at("/scaling/ingest");
        JsonNode api = root.at("/scaling/api");
        if (ingest.isMissingNode() && api.isMissingNode()) {
            return;
        }
        t.append("\nScaling, same run (points other than the main figures' are shorter: ")
            .append(shortPoints(ingest, "publishers", "events", " events")).append("; ")
            .append(shortPoints(api, "connections", "seconds", " s")).append("):\n\n")
            .append("| point | OnShelf | baseline (same run) | ratio | OnShelf p99, ms | baseline p99, ms "
                + "| CPU µs per event: Redis / OnShelf JVM | baseline's server, CPU µs per event |\n")
            .append("|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : ingest) {
            t.append(String.format(Locale.ROOT, "| ingest, %d publisher%s, events/s | %,d | %,d | %.2f× | — | — | %s / %s "
                    + "| broker %s |%n", r.get("publishers").asInt(), r.get("publishers").asInt() == 1 ? "" : "s",
                r.get("eventsPerSecond").asLong(), r.get("baselineEventsPerSecond").asLong(), r.get("ratio").asDouble(),
                number(r.at("/cost/cpuMicrosPerEvent/redis")), number(r.at("/cost/cpuMicrosPerEvent/onshelf")),
                number(r.at("/baselineCost/cpuMicrosPerEvent/broker"))));
        }
        JsonNode gateways = root.at("/gateways");
        for (JsonNode r : gateways.path("rows")) {  // fresh gateway processes, the run node stopped
            t.append(String.format(Locale.ROOT, "| ingest, %d gateway process%s in a shared group (%d publishers, %,d "
                    + "events), events/s | %,d | %,d | %.2f× | — | — | — | — |%n", r.get("gateways").asInt(),
                r.get("gateways").asInt() == 1 ? "" : "es", gateways.get("publishers").asInt(),
                gateways.get("events").asLong(), r.get("eventsPerSecond").asLong(),
                gateways.get("baselineEventsPerSecond").asLong(), r.get("ratio").asDouble()));
        }
        for (JsonNode r : api) {
            t.append(String.format(Locale.ROOT, "| API, %d connections, lookups/s | %,d | %,d | %.2f× | %.1f | %.1f "
                    + "| %s / %s | bare route's JVM %s |%n", r.get("connections").asInt(),
                r.get("requestsPerSecond").asLong(), r.get("baselineRequestsPerSecond").asLong(),
                r.get("ratio").asDouble(), r.get("p99Ms").asDouble(), r.get("baselineP99Ms").asDouble(),
                number(r.at("/cost/cpuMicrosPerEvent/redis")), number(r.at("/cost/cpuMicrosPerEvent/onshelf")),
                number(r.at("/baselineCost/cpuMicrosPerEvent/baseline"))));
        }
    }

    /** "1, 2 publishers: 30000 events each": the points shorter than the longest (the main figure's). */
    private static String shortPoints(JsonNode rows, String key, String size, String unit) {
        double max = 0;
        for (JsonNode r : rows) {
            max = Math.max(max, r.get(size).asDouble());
        }
        StringBuilder keys = new StringBuilder();
        String shorter = null;
        for (JsonNode r : rows) {
            if (r.get(size).asDouble() < max) {
                keys.append(keys.length() == 0 ? "" : ", ").append(r.get(key).asInt());
                shorter = number(r.get(size));
            }
        }
        return shorter == null ? "none" : keys + " " + key + ": " + shorter + unit + " each";
    }

    private void costs(StringBuilder t) {
        JsonNode cost = root.get("cost");
        if (cost == null) {
            return;
        }
        t.append("\nWhere the CPU goes: CPU µs per event (per request for the API) of each process, and in brackets the "
                + "cores it kept busy (Redis from its own `INFO cpu`, the others from /proc); Redis's busiest commands "
                + "from `INFO commandstats` (calls per event × µs per call; commands a script runs count inside it "
                + "too):\n\n| phase | Redis | server JVM | broker | load generator | Redis commands |\n"
                + "|---|---|---|---|---|---|\n");
        phase(t, "broker baseline (mosquitto_sub)", cost.get("brokerBaseline"));
        phase(t, "ingest (OnShelf)", cost.get("ingest"));
        phase(t, "API (OnShelf)", cost.get("api"));
        phase(t, "API (bare route)", renamed(cost.get("apiBaseline")));
    }

    private static void phase(StringBuilder t, String name, JsonNode c) {
        if (c == null) {
            return;
        }
        StringBuilder commands = new StringBuilder();
        int shown = 0;
        for (JsonNode r : c.path("redisCommands")) {
            if (shown++ == 3) {
                break;
            }
            commands.append(commands.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.2f × %.1f",
                r.get("command").asText(), r.get("callsPerEvent").asDouble(), r.get("usecPerCall").asDouble()));
        }
        t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name, process(c, "redis"),
            process(c, "onshelf"), process(c, "broker"), process(c, "harness"),
            commands.length() == 0 ? NONE : commands));
    }

    /** The bare route's cost with its JVM in the server JVM's column (OnShelf's in the other rows). */
    private static JsonNode renamed(JsonNode c) {
        if (c == null) {
            return null;
        }
        ObjectNode copy = ((ObjectNode) c).deepCopy();
        for (String group : new String[] {"cpuMicrosPerEvent", "coresBusy"}) {
            ObjectNode g = (ObjectNode) copy.get(group);
            g.remove("onshelf");
            if (g.has("baseline")) {
                g.set("onshelf", g.remove("baseline"));
            }
        }
        return copy;
    }

    private static String process(JsonNode c, String name) {
        JsonNode us = c.at("/cpuMicrosPerEvent/" + name);
        return us.isMissingNode() ? NONE : String.format(Locale.ROOT, "%.1f (%.2f)", us.asDouble(),
            c.at("/coresBusy/" + name).asDouble());
    }

    private void profile(StringBuilder t) {
        JsonNode p = root.get("profile");
        if (p == null) {
            return;
        }
        t.append("\nJFR profile of OnShelf: `").append(p.get("file").asText()).append("`. Hottest frames (self):");
        p.get("phases").fields().forEachRemaining(e -> {
            t.append(' ').append(e.getKey()).append(" (").append(e.getValue().get("samples").asInt())
                .append(" samples): ");
            int shown = 0;
            for (JsonNode f : e.getValue().get("topFrames")) {
                if (shown++ == 3) {
                    break;
                }
                t.append(shown == 1 ? "" : ", ").append('`').append(shortFrame(f.get("frame").asText())).append("` ")
                    .append(f.get("pct").asDouble()).append('%');
            }
            t.append('.');
        });
        t.append('\n');
    }

    /** "io.netty.channel.epoll.Native.epollWait" → "Native.epollWait". */
    static String shortFrame(String frame) {
        int method = frame.lastIndexOf('.');
        int type = method <= 0 ? -1 : frame.lastIndexOf('.', method - 1);
        return frame.substring(type + 1);
    }

    private void ratio(StringBuilder t, String label, String value, String base, String target,
                              DoublePredicate ok) {
        JsonNode v = value(value);
        if (v == null) {
            return;
        }
        double b = valueOrZero(base);
        double r = b == 0 ? 0 : v.asDouble() / b;
        t.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.2f× | %s | %s |%n", label, v.asDouble(), b, r,
            target, met(target, ok.test(r))));
    }

    /** A figure and its baseline, the target on the figure itself (e.g. a latency bound). */
    private void both(StringBuilder t, String label, String value, String base, String target,
                             DoublePredicate ok) {
        JsonNode v = value(value);
        if (v == null) {
            return;
        }
        double b = valueOrZero(base);
        t.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.2f× | %s | %s |%n", label, v.asDouble(), b,
            b == 0 ? 0 : v.asDouble() / b, target, met(target, ok.test(v.asDouble()))));
    }

    private void single(StringBuilder t, String label, String value, String target, DoublePredicate ok) {
        JsonNode v = value(value);
        if (v == null) {
            return;
        }
        t.append(String.format(Locale.ROOT, "| %s | %,.3f | — | — | %s | %s |%n", label, v.asDouble(), target,
            met(target, ok.test(v.asDouble()))));
    }

    private static String met(String target, boolean ok) {
        return target.equals(NONE) ? NONE : ok ? "yes" : "**no**";
    }

    /** The figure at a JSON pointer, or null when the run did not measure it. */
    private JsonNode value(String pointer) {
        JsonNode v = root.at(pointer);
        return v.isMissingNode() || v.isNull() ? null : v;
    }

    private double valueOrZero(String pointer) {
        JsonNode b = value(pointer);
        return b == null ? 0 : b.asDouble();
    }

    private static String env(JsonNode root) {
        StringBuilder t = new StringBuilder();
        root.path("onshelfEnv").fields().forEachRemaining(e -> t.append(t.length() == 0 ? "" : " ").append(e.getKey())
            .append('=').append(e.getValue().asText()));
        return t.length() == 0 ? "(none)" : t.toString();
    }

    private static String number(JsonNode n) {
        return n == null || n.isMissingNode() ? NONE : String.format(Locale.ROOT, "%s", n.asText());
    }

    /** A measured value with one decimal, "—" when not measured. */
    private static String decimal(JsonNode n) {
        return n.isMissingNode() ? NONE : String.format(Locale.ROOT, "%.1f", n.asDouble());
    }

    /** Text safe in a Markdown table cell. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }
}
