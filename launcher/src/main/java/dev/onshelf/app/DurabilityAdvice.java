package dev.onshelf.app;

import java.util.Optional;

/**
 * What an operator should know, at start-up, about whether an acknowledged event survives a Redis
 * SIGKILL with the Redis it runs against (RELIABILITY.md): OnShelf acknowledges an event once Redis
 * answered, so whatever Redis answers before it has written is at risk.
 */
final class DurabilityAdvice {
    private DurabilityAdvice() {
    }

    /**
     * The warning for Redis's {@code appendonly} / {@code appendfsync} settings (null: Redis would not
     * say, e.g. CONFIG is not allowed) and the gateway's acknowledgement horizon; empty when exact.
     */
    static Optional<String> of(String appendonly, String appendfsync, int ackHorizonMillis) {
        if (appendonly == null || appendfsync == null) {
            return Optional.empty();  // not ours to know: managed Redis without CONFIG
        }
        if (!"yes".equalsIgnoreCase(appendonly)) {
            return Optional.of("Redis keeps no append-only file (appendonly no): a Redis restart loses every event "
                + "applied since its last snapshot, though each was acknowledged. Run Redis with appendonly yes and "
                + "appendfsync always (or everysec with ONSHELF_MQTT_ACK_HORIZON_MS=3000)");
        }
        if ("everysec".equalsIgnoreCase(appendfsync) && ackHorizonMillis < 3_000) {
            return Optional.of("Redis writes its append-only file once a second (appendfsync everysec) and answers "
                + "before it has: a Redis SIGKILL can lose up to ~3 s of events already acknowledged. Set "
                + "ONSHELF_MQTT_ACK_HORIZON_MS=3000 (and ONSHELF_MQTT_RECEIVE_MAXIMUM to events per second x 3), or "
                + "run Redis with appendfsync always");
        }
        if ("no".equalsIgnoreCase(appendfsync)) {
            return Optional.of("Redis leaves fsync to the operating system (appendfsync no): a machine crash can "
                + "lose events already acknowledged; use appendfsync always, or everysec with "
                + "ONSHELF_MQTT_ACK_HORIZON_MS=3000");
        }
        return Optional.empty();
    }
}
