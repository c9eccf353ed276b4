package dev.onshelf.core.availability;

/**
 * The answer for one (store, product). {@code onShelf} is null when nothing trustworthy is known;
 * {@code availability} is then null too. Times are epoch milliseconds, 0 when unknown.
 *
 * @param shelfCount units on the shelf from the freshest readings (the last known, if all are stale)
 * @param shelfFresh whether {@code shelfCount} rests on at least one fresh reading
 * @param phantom    the books say stock while a fresh reading says the shelf is empty
 */
public record Availability(Boolean onShelf, ItemAvailability availability, Integer shelfCount,
                           boolean shelfFresh, Long bookCount, Confidence confidence, long asOf,
                           long shelfAsOf, long bookAsOf, boolean phantom) {

    public static final Availability NOTHING =
        new Availability(null, null, null, false, null, Confidence.NONE, 0, 0, 0, false);
}
