package dev.onshelf.core.model;

/**
 * A device's retained status (or its MQTT will): online/offline and its heartbeat interval.
 * {@code session} is the boot id the device also puts in its will, empty when it sends none: an
 * {@code offline} of the current session ends it even when stamped before the session's
 * {@code online} (a will is stamped at CONNECT).
 */
public record StatusEvent(StoreId store, DeviceId source, long ts, boolean online, int heartbeatSeconds,
                          String session) implements Event {
    public StatusEvent(StoreId store, DeviceId source, long ts, boolean online, int heartbeatSeconds) {
        this(store, source, ts, online, heartbeatSeconds, "");
    }
}
