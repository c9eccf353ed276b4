package dev.onshelf.core.rules;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StoreId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A store's true history (events in the order they happened, each source numbering its own events,
 * some sources restarting their numbering) and a faulty delivery of it: duplicates and reorders as
 * at-least-once MQTT and retrying devices produce them. Reorders stay within {@link #MAX_DISPLACEMENT}
 * positions, well inside the rules' identity window and delta horizon.
 */
public record History(List<Event> truth, List<Event> delivered) {
    public static final int MAX_DISPLACEMENT = 8;
    public static final long T0 = 1_800_000_000_000L;
    public static final List<Gtin> GTINS = List.of(Gtin.parse("4006381333931"), Gtin.parse("96385074"));
    private static final String[] SHELVES = {"mat-1", "mat-2"};
    private static final String[] FEEDS = {"till-1", "goods-in"};

    /** Sources name their boot in every event ({@code session}): restarts are then told exactly. */
    public static History generate(StoreId store, long seed, int length, int duplicates, int swaps, int restarts) {
        return generate(store, seed, length, duplicates, swaps, restarts, true);
    }

    /**
     * Without sessions a restart is told by time alone (see SourceLedger), which a reorder around the
     * restart can mislead: those histories keep the events of a source that restarts in order.
     */
    public static History generate(StoreId store, long seed, int length, int duplicates, int swaps, int restarts,
                                   boolean sessions) {
        Random random = new Random(seed);
        Map<String, Long> seqs = new HashMap<>();
        List<String> restartAt = new ArrayList<>();
        List<Event> truth = new ArrayList<>();
        long ts = T0;
        for (int i = 0; i < length; i++) {
            ts += 1 + random.nextInt(1000);
            boolean shelf = random.nextBoolean();
            String source = shelf ? SHELVES[random.nextInt(2)] : FEEDS[random.nextInt(2)];
            if (restartAt.size() < restarts && i > 0 && random.nextInt(length) < restarts * 2) {
                seqs.put(source, 0L);  // the source restarts: its numbering starts again from 1
                restartAt.add(source);
            }
            long seq = seqs.merge(source, 1L, Long::sum);
            String session = sessions ? source + "-boot-" + restartAt.stream().filter(source::equals).count() : "";
            Gtin gtin = GTINS.get(random.nextInt(GTINS.size()));
            if (shelf) {
                String location = random.nextBoolean() ? "A" : "B";
                truth.add(new ShelfEvent(store, new DeviceId(source), source + "-" + i, seq, ts,
                    List.of(new Reading(gtin, random.nextInt(8), 12, location)), session));
            } else {
                EventType type = EventType.values()[random.nextInt(EventType.values().length)];
                long qty = type == EventType.ADJUST ? (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(5))
                    : type == EventType.COUNT ? random.nextInt(40) : 1 + random.nextInt(5);
                truth.add(new FeedEvent(store, new DeviceId(source), source + "-" + i, seq, ts, type, gtin, qty,
                    session));
            }
        }
        List<Event> delivered = new ArrayList<>(truth);
        for (int d = 0; d < duplicates && !truth.isEmpty(); d++) {
            int at = random.nextInt(delivered.size());
            int to = Math.min(delivered.size(), at + 1 + random.nextInt(MAX_DISPLACEMENT));
            delivered.add(to, delivered.get(at));
        }
        for (int s = 0; s < swaps && delivered.size() > 1; s++) {
            int at = random.nextInt(delivered.size() - 1);
            int to = Math.min(delivered.size() - 1, at + 1 + random.nextInt(MAX_DISPLACEMENT / 2));
            Event e = delivered.get(at);
            if (!sessions && restartAt.contains(e.source().value()) && passesOwnSource(delivered, at, to, e)) {
                continue;
            }
            delivered.remove(at);
            delivered.add(to, e);
        }
        return new History(truth, delivered);
    }

    /** Whether moving e from at to to would carry it past another event of its own source. */
    private static boolean passesOwnSource(List<Event> delivered, int at, int to, Event e) {
        for (int i = at + 1; i <= to; i++) {
            if (delivered.get(i).source().equals(e.source())) {
                return true;
            }
        }
        return false;
    }

    /** What a careful person computes from the true history: per product, slots and book. */
    public Map<String, Expected> reference() {
        Map<String, Expected> out = new HashMap<>();
        Map<String, Map<String, long[]>> slots = new HashMap<>();
        Map<String, Long> countValue = new HashMap<>();
        Map<String, Long> countTs = new HashMap<>();
        for (Event e : truth) {
            if (e instanceof ShelfEvent s) {
                for (Reading r : s.readings()) {
                    slots.computeIfAbsent(r.gtin().value(), k -> new HashMap<>())
                        .merge(s.source() + "|" + r.location(), new long[] {r.count(), s.ts()},
                            (a, b) -> b[1] >= a[1] ? b : a);
                }
            } else if (e instanceof FeedEvent f && f.type() == EventType.COUNT) {
                if (f.ts() > countTs.getOrDefault(f.gtin().value(), -1L)) {
                    countTs.put(f.gtin().value(), f.ts());
                    countValue.put(f.gtin().value(), f.qty());
                }
            }
        }
        Map<String, Long> book = new HashMap<>(countValue);
        for (Event e : truth) {
            if (e instanceof FeedEvent f && f.type() != EventType.COUNT
                && f.ts() > countTs.getOrDefault(f.gtin().value(), -1L)) {
                book.merge(f.gtin().value(), f.bookEffect(), Long::sum);
            }
        }
        for (Gtin g : GTINS) {
            Map<String, Long> counts = new HashMap<>();
            slots.getOrDefault(g.value(), Map.of()).forEach((k, v) -> counts.put(k, v[0]));
            out.put(g.value(), new Expected(counts, book.get(g.value())));
        }
        return out;
    }

    /** The state a product must end in. */
    public record Expected(Map<String, Long> slotCounts, Long book) {
    }

    /** The same history with every device id suffixed (device ids are unique across stores). */
    public History withDeviceSuffix(String suffix) {
        return new History(suffixed(truth, suffix), suffixed(delivered, suffix));
    }

    private static List<Event> suffixed(List<Event> events, String suffix) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            DeviceId d = new DeviceId(e.source().value() + suffix);
            if (e instanceof ShelfEvent s) {
                out.add(new ShelfEvent(s.store(), d, s.eventId(), s.seq(), s.ts(), s.readings(), s.session()));
            } else {
                FeedEvent f = (FeedEvent) e;
                out.add(new FeedEvent(f.store(), d, f.eventId(), f.seq(), f.ts(), f.type(), f.gtin(), f.qty(),
                    f.session()));
            }
        }
        return out;
    }

    /** The latest source time in the history: the "now" at which to judge it. */
    public long end() {
        return truth.isEmpty() ? T0 : truth.get(truth.size() - 1).ts();
    }
}
