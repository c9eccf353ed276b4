package dev.onshelf.core.model;

/** Feed event types. Deltas commute; {@code COUNT} is an absolute on-hand that resets the book. */
public enum EventType {
    SALE(-1), RETURN(1), RECEIPT(1), COUNT(0), ADJUST(0);

    private final int sign;

    EventType(int sign) {
        this.sign = sign;
    }

    /** The signed delta this event applies to the book, or the absolute count for COUNT. */
    public long bookEffect(long qty) {
        return sign == 0 ? qty : sign * qty;
    }

    public boolean absolute() {
        return this == COUNT;
    }
}
