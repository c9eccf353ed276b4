package dev.onshelf.core.model;

/**
 * One validated inbound message. Every event names its store and source (from the topic, checked
 * against the payload), its source time {@code ts} in epoch milliseconds and, for readings and feed
 * events, the source's event id and monotonically increasing sequence number.
 */
public sealed interface Event permits Numbered, StatusEvent {
    StoreId store();

    DeviceId source();

    long ts();

    /** The source's boot id, empty when it sends none. */
    String session();
}
