package dev.onshelf.core.rules;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tills selling, as the crash tests see them: each sale counts once, whatever the delivery does.
 * Some tills stamp whole seconds (many sales share a ts), some name their boot ({@code session}) and
 * reboot; delivery duplicates, re-stamps retransmissions (+5 ms) and reorders by up to
 * {@code displacement} positions (a Redis outage's retries, a device's offline buffer).
 *
 * @param truth     each sale once, as it happened
 * @param delivered what reaches the store
 */
public record DeltaStream(List<FeedEvent> truth, List<FeedEvent> delivered) {
    public static final Gtin GTIN = Gtin.parse("4006381333931");

    public static DeltaStream generate(StoreId store, String suffix, long seed, int length, int duplicates,
                                       int restamps, int swaps, int displacement, int reboots) {
        Random random = new Random(seed);
        int tills = 4;
        long[] seq = new long[tills];
        int[] boot = new int[tills];
        List<FeedEvent> truth = new ArrayList<>();
        long ts = History.T0;
        boolean bursty = random.nextBoolean();  // a till catching up: many sales within a millisecond or two
        for (int i = 0; i < length; i++) {
            ts += bursty && random.nextInt(8) > 0 ? random.nextInt(2) : random.nextInt(40);
            int till = random.nextInt(tills);
            boolean coarse = till % 2 == 1;       // tills 1 and 3 stamp whole seconds
            boolean named = till >= 2;            // tills 2 and 3 name their boot (and reboot: without a
            // session a reboot is told from a replay by its newer clock only, and a reorder across it cannot
            // be told at all; docs/semantics.md)
            if (named && reboots > 0 && random.nextInt(length) < reboots) {
                boot[till]++;
                seq[till] = 0;
                ts += 2_000;  // a reboot takes seconds
            }
            long stamp = coarse ? ts - ts % 1000 : ts;
            truth.add(new FeedEvent(store, new DeviceId("till-" + till + suffix), "sale-" + till + "-" + i,
                ++seq[till], stamp, EventType.SALE, GTIN, 1, named ? "boot-" + boot[till] : ""));
        }
        List<FeedEvent> delivered = new ArrayList<>(truth);
        for (int d = 0; d < duplicates + restamps && !truth.isEmpty(); d++) {
            int at = random.nextInt(delivered.size());
            FeedEvent e = delivered.get(at);
            if (d >= duplicates) {  // a till retrying with a new stamp
                e = new FeedEvent(e.store(), e.source(), e.eventId(), e.seq(), e.ts() + 5, e.type(), e.gtin(), e.qty(),
                    e.session());
            }
            int to = Math.min(delivered.size(), at + 1 + random.nextInt(displacement));
            if (d >= duplicates && random.nextBoolean()) {
                // the first copy lost on the way and sent again later: the re-stamped one comes first
                delivered.add(to, delivered.set(at, e));
            } else {
                delivered.add(to, e);
            }
        }
        for (int s = 0; s < swaps && delivered.size() > 1; s++) {
            int at = random.nextInt(delivered.size() - 1);
            int to = Math.min(delivered.size() - 1, at + 1 + random.nextInt(displacement));
            delivered.add(to, delivered.remove(at));
        }
        return new DeltaStream(truth, delivered);
    }

    /** The book the truth leaves, from a COUNT of {@code start}. */
    public long expectedBook(long start) {
        return start - truth.size();
    }
}
