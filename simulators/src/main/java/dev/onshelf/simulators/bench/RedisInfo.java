package dev.onshelf.simulators.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redis's own view at one moment: {@code INFO cpu} (the server process's CPU seconds) and
 * {@code INFO commandstats} (calls and microseconds per command). Commands a script runs through
 * {@code redis.call} are counted under their own names too, and their time is also inside the
 * script's ({@code evalsha}).
 */
record RedisInfo(double cpuSeconds, Map<String, Command> commands) {

    /** One command's cumulative counters, e.g. {@code cmdstat_evalsha:calls=12,usec=340,...}. */
    record Command(long calls, long usec) {
    }

    RedisInfo {
        commands = Map.copyOf(commands);
    }

    /** Parses the text of {@code INFO cpu} and {@code INFO commandstats} (either or both, in any order). */
    static RedisInfo parse(String info) {
        double user = 0;
        double sys = 0;
        Map<String, Command> commands = new LinkedHashMap<>();
        for (String raw : info.split("\n")) {
            String line = raw.strip();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            switch (key) {
                case "used_cpu_user" -> user = Double.parseDouble(value);
                case "used_cpu_sys" -> sys = Double.parseDouble(value);
                default -> {
                    if (key.startsWith("cmdstat_")) {
                        commands.put(key.substring("cmdstat_".length()), command(value));
                    }
                }
            }
        }
        return new RedisInfo(user + sys, commands);
    }

    /** One numeric field of an {@code INFO} section's text ({@code name:value}); 0 when absent. */
    static long field(String info, String name) {
        String value = text(info, name);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** One field of an {@code INFO} section's text ({@code name:value}) as it is written; null when absent. */
    static String text(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static Command command(String fields) {
        long calls = 0;
        long usec = 0;
        for (String field : fields.split(",")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            switch (field.substring(0, eq)) {
                case "calls" -> calls = Long.parseLong(field.substring(eq + 1));
                case "usec" -> usec = Long.parseLong(field.substring(eq + 1));
                default -> {
                    // usec_per_call, rejected_calls, failed_calls: derived or not needed
                }
            }
        }
        return new Command(calls, usec);
    }

    /** What happened between {@code earlier} and this: commands with calls in between, CPU seconds used. */
    RedisInfo since(RedisInfo earlier) {
        Map<String, Command> delta = new LinkedHashMap<>();
        commands.forEach((name, now) -> {
            Command before = earlier.commands.getOrDefault(name, new Command(0, 0));
            long calls = now.calls - before.calls;
            if (calls > 0) {
                delta.put(name, new Command(calls, now.usec - before.usec));
            }
        });
        return new RedisInfo(cpuSeconds - earlier.cpuSeconds, delta);
    }
}
