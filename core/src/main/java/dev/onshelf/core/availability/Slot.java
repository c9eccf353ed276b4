package dev.onshelf.core.availability;

/** The latest reading of one (device, location) slot of a product. {@code capacity} -1 = unknown. */
public record Slot(String device, String location, int count, int capacity, long ts) {
}
