package dev.onshelf.core.availability;

/**
 * The answer for one (store, product). {@code onShelf} is null when nothing trustworthy is known;
 * {@code availability} is then null too. Times are epoch milliseconds, 0 when unknown.
 *
 * @param shelfCount units on the shelf from the freshest readings (the last known, if all are stale)
 * @param shelfFresh whether {@code shelfCount} rests on at least one fresh reading
 * @param phantom    the books say stock while a fresh reading says the shelf is empty
 * @param held       units held by running click-and-collect holds
 * @param salable    what a new shopper can still take: fresh shelf units minus {@code held}, never below
 *                   zero; 0 when the answer is "not on the shelf"; null when the shelf is not known now
 */
public record Availability(Boolean onShelf, ItemAvailability availability, Integer shelfCount,
                           boolean shelfFresh, Long bookCount, Confidence confidence, long asOf,
                           long shelfAsOf, long bookAsOf, boolean phantom, int held, Long salable) {

    public static final Availability NOTHING =
        new Availability(null, null, null, false, null, Confidence.NONE, 0, 0, 0, false);

    /** An answer with nothing held. */
    public Availability(Boolean onShelf, ItemAvailability availability, Integer shelfCount, boolean shelfFresh,
                        Long bookCount, Confidence confidence, long asOf, long shelfAsOf, long bookAsOf,
                        boolean phantom) {
        this(onShelf, availability, shelfCount, shelfFresh, bookCount, confidence, asOf, shelfAsOf, bookAsOf,
            phantom, 0, shelfFresh && shelfCount != null ? Long.valueOf(Math.max(0, shelfCount))
                : Boolean.FALSE.equals(onShelf) ? Long.valueOf(0) : null);
    }
}
