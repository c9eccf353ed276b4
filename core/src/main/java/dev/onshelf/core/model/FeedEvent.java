package dev.onshelf.core.model;

/**
 * A store-system event. {@code qty} is as sent: units for SALE/RETURN/RECEIPT, the absolute
 * on-hand for COUNT, a signed delta for ADJUST. {@link #bookEffect()} is what it does to the book.
 * {@code session} is the source's boot id, empty when it sends none.
 */
public record FeedEvent(StoreId store, DeviceId source, String eventId, long seq, long ts,
                        EventType type, Gtin gtin, long qty, String session) implements Numbered {
    public FeedEvent(StoreId store, DeviceId source, String eventId, long seq, long ts, EventType type, Gtin gtin,
                     long qty) {
        this(store, source, eventId, seq, ts, type, gtin, qty, "");
    }

    public long bookEffect() {
        return type.bookEffect(qty);
    }
}
