package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a phase cost each process: CPU seconds of Redis (its own {@code INFO cpu}), of OnShelf's JVM,
 * the broker and the load generator (from /proc), and Redis's {@code INFO commandstats}, as deltas
 * between two marks divided by the events (or requests) of the phase. Says what bounds a figure:
 * the process whose cores are busiest, and what Redis spends per call.
 */
final class CostMeter {
    /** A snapshot; {@code cpuSeconds} by process name, NaN for a process that cannot be read. */
    record Mark(long nanos, RedisInfo redis, Map<String, Double> cpuSeconds) {
    }

    /** Commands with fewer calls than this per event are left out of the JSON (the marks' own INFO, pings). */
    private static final double MIN_CALLS_PER_EVENT = 0.001;
    private final RedisCommands<String, String> redis;
    private final ProcCpu proc;
    private final Map<String, Long> pids = new LinkedHashMap<>();

    /** {@code redis}: a synchronous connection used only from the harness's own thread, between phases. */
    CostMeter(RedisCommands<String, String> redis, ProcCpu proc) {
        this.redis = redis;
        this.proc = proc;
    }

    /** Measures {@code name}'s CPU from /proc from now on (a pid ≤ 0 is ignored: e.g. a broker not started here). */
    CostMeter watch(String name, long pid) {
        if (pid > 0) {
            pids.put(name, pid);
        }
        return this;
    }

    /** Stops measuring {@code name} (a process that is about to end). */
    CostMeter unwatch(String name) {
        pids.remove(name);
        return this;
    }

    Mark mark() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, proc.seconds(pid)));
        RedisInfo info = RedisInfo.parse(redis.info("cpu") + "\n" + redis.info("commandstats"));
        return new Mark(System.nanoTime(), info, cpu);
    }

    /** Writes what happened between two marks, per one of {@code events}, into {@code into}. */
    static ObjectNode cost(Mark from, Mark to, long events, ObjectNode into) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        into.put("events", events).put("seconds", BenchReport.round(seconds));
        ObjectNode perEvent = into.putObject("cpuMicrosPerEvent");
        ObjectNode busy = into.putObject("coresBusy");
        RedisInfo redis = to.redis().since(from.redis());
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("redis", redis.cpuSeconds());
        to.cpuSeconds().forEach((name, now) -> cpu.put(name, now - from.cpuSeconds().getOrDefault(name, Double.NaN)));
        cpu.forEach((name, used) -> {
            if (!Double.isNaN(used)) {
                perEvent.put(name, Math.round(used * 1e6 / events * 10) / 10.0);
                busy.put(name, Math.round(used / seconds * 100) / 100.0);
            }
        });
        ArrayNode commands = into.putArray("redisCommands");
        redis.commands().entrySet().stream()
            .filter(e -> e.getValue().calls() >= MIN_CALLS_PER_EVENT * events)
            .sorted(Comparator.comparingLong((Map.Entry<String, RedisInfo.Command> e) -> e.getValue().usec()).reversed())
            .forEach(e -> commands.addObject().put("command", e.getKey()).put("calls", e.getValue().calls())
                .put("callsPerEvent", BenchReport.round((double) e.getValue().calls() / events))
                .put("usecPerCall", Math.round(10.0 * e.getValue().usec() / e.getValue().calls()) / 10.0));
        return into;
    }
}
