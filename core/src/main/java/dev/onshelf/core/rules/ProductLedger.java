package dev.onshelf.core.rules;

import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.model.AlertType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored state of one (store, product) and the rules that change it, as a plain Java model.
 * {@code apply.lua} implements exactly these rules inside Redis; this class is their specification,
 * exercised by property tests against a reference model.
 * <ul>
 *   <li>shelf: per (device, location) slot the reading with the newest source time; a person's
 *       count of the whole shelf stands in for all slots until a sensor reports something newer;</li>
 *   <li>book: the last COUNT plus the deltas after it; deltas kept for a horizon so that a COUNT
 *       arriving late is replayed under the deltas that happened after it;</li>
 *   <li>level (with hysteresis) and phantom flag, whose transitions raise alerts.</li>
 * </ul>
 */
public final class ProductLedger {
    /** slot "device|location" -> {count, capacity, ts}. */
    final Map<String, long[]> slots = new LinkedHashMap<>();
    /** a staff count of the whole shelf {count, ts}, or null; set only while no slot is newer. */
    long[] staffShelf;
    Long book;
    long bookTs;
    Long countTs;
    /** deltas after the last COUNT: {ts, delta}. */
    final List<long[]> deltas = new ArrayList<>();
    long lostFloor;
    ItemAvailability level;
    boolean phantom;
    Integer lowStockOverride;

    public Long book() {
        return book;
    }

    public Map<String, Long> slotCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        slots.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    public ItemAvailability level() {
        return level;
    }

    public boolean phantom() {
        return phantom;
    }

    /** Applies a reading; false if an equal-or-newer reading of the slot is already there. */
    public boolean reading(String slot, long count, long capacity, long ts) {
        long[] cur = slots.get(slot);
        if (cur != null && cur[2] > ts) {
            return false;
        }
        slots.put(slot, new long[] {count, capacity, ts});
        if (staffShelf != null && ts > staffShelf[1]) {
            staffShelf = null;  // a sensor has spoken since the count
        }
        return true;
    }

    /** Applies a staff count of the whole shelf; false if it or a sensor reading is at least as new. */
    public boolean staffShelfCount(long count, long ts) {
        if (staffShelf != null && staffShelf[1] >= ts) {
            return false;
        }
        for (long[] s : slots.values()) {
            if (s[2] >= ts) {
                return false;
            }
        }
        staffShelf = new long[] {count, ts};
        return true;
    }

    /** What the shelf is judged by: the staff count while it stands, else the slots {count, capacity, ts}. */
    private java.util.Collection<long[]> shelf() {
        return staffShelf != null ? List.of(new long[] {staffShelf[0], -1, staffShelf[1]}) : slots.values();
    }

    /** Applies a COUNT; false if it is older than the last one or than the delta history kept. */
    public boolean count(long qty, long ts) {
        if ((countTs != null && ts <= countTs) || ts < lostFloor) {
            return false;
        }
        long b = qty;
        List<long[]> kept = new ArrayList<>();
        for (long[] d : deltas) {
            if (d[0] > ts) {
                b += d[1];
                kept.add(d);
            }
        }
        book = b;
        countTs = ts;
        deltas.clear();
        deltas.addAll(kept);
        bookTs = Math.max(bookTs, ts);
        return true;
    }

    /** Applies a delta; false if it happened before the last COUNT (so it is already in it). */
    public boolean delta(long delta, long ts, ApplyParams params) {
        if (countTs != null && ts <= countTs) {
            return false;
        }
        book = (book == null ? 0 : book) + delta;
        deltas.add(new long[] {ts, delta});
        long newest = 0;
        for (long[] d : deltas) {
            newest = Math.max(newest, d[0]);
        }
        List<long[]> kept = new ArrayList<>();
        for (long[] d : deltas) {
            if (d[0] >= newest - params.deltaHorizonMs()) {
                kept.add(d);
            } else {
                lostFloor = Math.max(lostFloor, d[0]);
            }
        }
        while (kept.size() > params.maxDeltas()) {
            int oldest = 0;
            for (int i = 1; i < kept.size(); i++) {
                if (kept.get(i)[0] < kept.get(oldest)[0]) {
                    oldest = i;
                }
            }
            lostFloor = Math.max(lostFloor, kept.get(oldest)[0]);
            kept.remove(oldest);
        }
        deltas.clear();
        deltas.addAll(kept);
        bookTs = Math.max(bookTs, ts);
        return true;
    }

    /** Re-evaluates level and phantom flag after a change; returns the alerts their transitions raise. */
    public List<AlertType> settle(long now, ApplyParams params) {
        List<AlertType> alerts = new ArrayList<>();
        if (!shelf().isEmpty()) {
            long units = 0;
            for (long[] s : shelf()) {
                units += s[0];
            }
            int low = lowStockOverride != null ? lowStockOverride : params.lowStockUnits();
            ItemAvailability previous = level;
            level = StockLevel.next(previous, units, low);
            if (level != previous) {
                if (level == ItemAvailability.OutOfStock) {
                    alerts.add(AlertType.SHELF_EMPTY);
                } else if (previous == ItemAvailability.OutOfStock) {
                    alerts.add(AlertType.BACK_IN_STOCK);
                } else if (level == ItemAvailability.LimitedAvailability) {
                    alerts.add(AlertType.SHELF_LOW);
                }
            }
        }
        boolean fresh = false;
        long freshUnits = 0;
        for (long[] s : shelf()) {
            if (s[2] >= now - params.shelfFreshMs()) {
                fresh = true;
                freshUnits += s[0];
            }
        }
        boolean nowPhantom = fresh && freshUnits == 0 && book != null && book > 0;
        if (nowPhantom && !phantom) {
            alerts.add(AlertType.PHANTOM_STOCK);
        }
        phantom = nowPhantom;
        return alerts;
    }
}
