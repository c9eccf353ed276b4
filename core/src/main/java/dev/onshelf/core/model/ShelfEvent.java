package dev.onshelf.core.model;

import java.util.List;

/**
 * A shelf sensor message: one reading or a batch, applied together under one event id and seq.
 * {@code session} is the device's boot id, empty when it sends none.
 */
public record ShelfEvent(StoreId store, DeviceId source, String eventId, long seq, long ts,
                         List<Reading> readings, String session) implements Numbered {
    public ShelfEvent {
        readings = List.copyOf(readings);
    }

    public ShelfEvent(StoreId store, DeviceId source, String eventId, long seq, long ts, List<Reading> readings) {
        this(store, source, eventId, seq, ts, readings, "");
    }
}
