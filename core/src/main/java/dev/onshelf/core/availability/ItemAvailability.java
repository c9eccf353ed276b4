package dev.onshelf.core.availability;

/** The schema.org ItemAvailability values OnShelf answers with (https://schema.org/ItemAvailability). */
public enum ItemAvailability {
    InStock, LimitedAvailability, OutOfStock
}
