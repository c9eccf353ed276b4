package dev.onshelf.core.model;

/** A device's retained status (or its MQTT will): online/offline and its heartbeat interval. */
public record StatusEvent(StoreId store, DeviceId source, long ts, boolean online, int heartbeatSeconds)
    implements Event {
}
