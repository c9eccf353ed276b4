package dev.onshelf.core.availability;

import java.util.Arrays;

/**
 * The click-and-collect holds on one product, as stored next to it: each hold's expiry (epoch ms) and
 * units. Expiry is applied when the holds are counted ({@link #activeAt}), so a hold past its expiry
 * counts for nothing even before anything deletes it.
 *
 * <p>Stored text (written by {@code hold_create.lua}, pruned by {@code hold_release.lua} and
 * {@code hold_sweep.lua}): {@code "expiresAt:qty,expiresAt:qty,..."}, decimal. Two holds with the same
 * expiry and units are interchangeable, so releasing one removes one such entry.
 */
public final class HeldUnits {
    public static final HeldUnits NONE = new HeldUnits(new long[0], new int[0]);
    private final long[] expiresAt;
    private final int[] units;

    private HeldUnits(long[] expiresAt, int[] units) {
        this.expiresAt = expiresAt;
        this.units = units;
    }

    /** Parses the stored text; null or empty is {@link #NONE}. */
    public static HeldUnits parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        String[] entries = text.split(",");
        long[] at = new long[entries.length];
        int[] qty = new int[entries.length];
        for (int i = 0; i < entries.length; i++) {
            int colon = entries[i].indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("corrupt held units: " + text);
            }
            at[i] = Long.parseLong(entries[i], 0, colon, 10);
            qty[i] = Integer.parseInt(entries[i], colon + 1, entries[i].length(), 10);
        }
        return new HeldUnits(at, qty);
    }

    /** One more hold (for tests and tools; the scripts write the stored text themselves). */
    public HeldUnits with(long expiresAtMillis, int qty) {
        long[] at = Arrays.copyOf(expiresAt, expiresAt.length + 1);
        int[] q = Arrays.copyOf(units, units.length + 1);
        at[at.length - 1] = expiresAtMillis;
        q[q.length - 1] = qty;
        return new HeldUnits(at, q);
    }

    /** The units held by holds still running at {@code now} (a hold expiring at {@code now} has ended). */
    public int activeAt(long now) {
        int sum = 0;
        for (int i = 0; i < units.length; i++) {
            if (expiresAt[i] > now) {
                sum += units[i];
            }
        }
        return sum;
    }

    /** The stored text. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < units.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(expiresAt[i]).append(':').append(units[i]);
        }
        return out.toString();
    }

    public boolean isEmpty() {
        return units.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldUnits h && Arrays.equals(expiresAt, h.expiresAt) && Arrays.equals(units, h.units);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(expiresAt) * 31 + Arrays.hashCode(units);
    }

    @Override
    public String toString() {
        return "HeldUnits[" + format() + "]";
    }
}
