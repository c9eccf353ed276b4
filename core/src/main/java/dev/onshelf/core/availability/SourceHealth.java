package dev.onshelf.core.availability;

/**
 * A device's health as far as freshness is concerned: its last reported status (and when), its
 * heartbeat interval (0 = none declared) and when we last heard anything from it (our clock).
 */
public record SourceHealth(boolean online, int heartbeatSeconds, long statusTs, long lastSeen) {
    public static final SourceHealth UNKNOWN = new SourceHealth(true, 0, 0, 0);

    /** Stale at once when it said it is offline, or when it missed {@code missed} heartbeats. */
    public boolean stale(long now, int missed) {
        if (!online) {
            return true;
        }
        return heartbeatSeconds > 0 && lastSeen > 0 && now - lastSeen > missed * heartbeatSeconds * 1000L;
    }
}
