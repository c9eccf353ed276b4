package dev.onshelf.core.model;

import java.util.List;

/** A shelf sensor message: one reading or a batch, applied together under one event id and seq. */
public record ShelfEvent(StoreId store, DeviceId source, String eventId, long seq, long ts,
                         List<Reading> readings) implements Event {
    public ShelfEvent {
        readings = List.copyOf(readings);
    }
}
