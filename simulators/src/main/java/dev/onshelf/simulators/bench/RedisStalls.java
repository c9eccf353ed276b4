package dev.onshelf.simulators.bench;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What made Redis itself stall during a phase, from its own counters: the latency monitor's events
 * ({@code LATENCY LATEST}: a slow command or script, an AOF write or fsync, a fork for a rewrite, each
 * with its worst time) and {@code INFO persistence}'s AOF rewrites and delayed fsyncs (a write that
 * waited for an fsync more than 2 s old). Told apart from the collector's pauses (JFR) and the network,
 * it says whether a freshness tail is Redis's.
 */
final class RedisStalls {
    private static final ProtocolKeyword LATENCY = new ProtocolKeyword() {
        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String name() {
            return "LATENCY";
        }
    };
    /** Events at least this long are recorded (milliseconds). */
    static final int THRESHOLD_MS = 10;

    private final RedisCommands<String, String> redis;
    private long rewrites;
    private long delayedFsyncs;

    RedisStalls(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Turns the monitor on and forgets what it saw so far: the phase starts. */
    void start() {
        redis.configSet("latency-monitor-threshold", Integer.toString(THRESHOLD_MS));
        redis.dispatch(LATENCY, new NestedMultiOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("RESET"));
        redis.configSet("slowlog-log-slower-than", Integer.toString(THRESHOLD_MS * 1000));
        redis.slowlogReset();
        String info = redis.info("persistence");
        rewrites = RedisInfo.field(info, "aof_rewrites");
        delayedFsyncs = RedisInfo.field(info, "aof_delayed_fsync");
    }

    /** Since {@link #start}: "event worst ms (times)" for each latency event, and the AOF counters. */
    String since() {
        List<Object> latest = redis.dispatch(LATENCY, new NestedMultiOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("LATEST"));
        List<String> events = new ArrayList<>();
        for (Object o : latest) {
            if (o instanceof List<?> e && e.size() >= 4) {  // name, last at (s), last ms, worst ms
                events.add(e.get(0) + " worst " + e.get(3) + " ms");
            }
        }
        String info = redis.info("persistence");
        return (events.isEmpty() ? "no event >= " + THRESHOLD_MS + " ms" : String.join(", ", events))
            + "; AOF rewrites " + (RedisInfo.field(info, "aof_rewrites") - rewrites) + ", delayed fsyncs "
            + (RedisInfo.field(info, "aof_delayed_fsync") - delayedFsyncs) + slowest(redis.slowlogGet(KEPT));
    }

    private static long micros(Object entry) {
        return entry instanceof List<?> e && e.size() >= 3 && e.get(2) instanceof Number n ? n.longValue() : 0;
    }

    private static final java.util.regex.Pattern MORE = java.util.regex.Pattern.compile("\\.\\.\\. \\((\\d+) more arguments\\)");

    /** The slowest commands named, of the slow log's most recent {@link #KEPT} (its default length). */
    static final int SLOWEST = 5;
    static final int KEPT = 128;

    /**
     * "; slowest: EVALSHA (523 args) 69.1 ms, ..." (the slowest first, at most {@link #SLOWEST}) from SLOWLOG GET entries (id, unix time, µs, [command,
     * args...], ...): which command, and how big (a script's argument count grows with its batch).
     */
    static String slowest(List<Object> entries) {
        List<Object> byTime = new ArrayList<>(entries);  // SLOWLOG GET gives the newest first: slowest first here
        byTime.sort(java.util.Comparator.comparingLong(RedisStalls::micros).reversed());
        List<String> out = new ArrayList<>();
        for (Object o : byTime.subList(0, Math.min(SLOWEST, byTime.size()))) {
            if (o instanceof List<?> e && e.size() >= 4 && e.get(2) instanceof Number micros
                && e.get(3) instanceof List<?> args && !args.isEmpty()) {
                int count = args.size();  // Redis keeps 32 of them, the last saying how many more there were
                java.util.regex.Matcher more = MORE.matcher(String.valueOf(args.get(args.size() - 1)));
                if (more.matches()) {
                    count = args.size() - 1 + Integer.parseInt(more.group(1));
                }
                out.add(args.get(0) + " (" + count + " args) "
                    + String.format(java.util.Locale.ROOT, "%.1f ms", micros.longValue() / 1000.0));
            }
        }
        return out.isEmpty() ? "" : "; slowest: " + String.join(", ", out);
    }
}
