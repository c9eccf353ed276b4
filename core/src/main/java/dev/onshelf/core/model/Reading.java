package dev.onshelf.core.model;

/**
 * One shelf reading: units seen on the shelf for a product at a slot. {@code capacity} is -1 when
 * the sensor does not know it; {@code location} is "" when the device watches a single facing.
 */
public record Reading(Gtin gtin, int count, int capacity, String location) {
}
