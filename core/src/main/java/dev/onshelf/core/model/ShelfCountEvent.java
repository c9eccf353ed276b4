package dev.onshelf.core.model;

/**
 * A person counted the units of one product on the shelf (a handheld's {@code shelfQty}). It is the
 * whole shelf as of {@code ts}: it stands in for every sensor slot of the product until a sensor
 * reports something newer. Not part of the MQTT contract: only the staff API creates it.
 */
public record ShelfCountEvent(StoreId store, DeviceId source, String eventId, long seq, long ts, Gtin gtin,
                              int count) implements Numbered {
    @Override
    public String session() {
        return "";
    }
}
