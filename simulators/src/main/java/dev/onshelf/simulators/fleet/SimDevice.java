package dev.onshelf.simulators.fleet;

import dev.onshelf.simulators.mqtt.Publisher;

/** A simulated device: its own MQTT connection (with its will), its sequence numbers and its faults. */
public final class SimDevice {
    public final String id;
    public final String store;
    public final String kind;
    Publisher publisher;
    long seq;
    /** Until when the device is away (0: online); {@code abrupt} if its connection died (will sent). */
    long awayUntil;
    boolean abrupt;
    long lastReport;
    String heldTopic;
    byte[] heldPayload;

    SimDevice(String id, String store, String kind) {
        this.id = id;
        this.store = store;
        this.kind = kind;
    }

    public String topic() {
        return "onshelf/v1/stores/" + store + "/" + kind + "/" + id;
    }

    public String statusTopic() {
        return "onshelf/v1/stores/" + store + "/status/" + id;
    }

    boolean away(long now) {
        return awayUntil > now;
    }
}
