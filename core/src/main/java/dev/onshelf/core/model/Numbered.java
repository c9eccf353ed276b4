package dev.onshelf.core.model;

/**
 * An event that counts once: identified by its source and {@code eventId}; {@code seq} places it in
 * the source's numbering ({@code 0}: the store numbers it); {@code session} names the source's boot
 * (empty when the source does not send one).
 */
public sealed interface Numbered extends Event permits ShelfEvent, FeedEvent, ShelfCountEvent {
    String eventId();

    long seq();
}
