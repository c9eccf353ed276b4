package dev.onshelf.simulators.bench;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ingest benchmark's events: S stores with M mats and one till each, P products per store; 70%
 * single shelf readings, 30% sales. Every event has a fresh (seq, ts) identity, so every one is
 * applied. Successive batches continue the numbering.
 */
final class Workload {
    /** One MQTT message to publish. */
    record Message(String topic, byte[] payload) {
    }

    private final EventCodec codec = new EventCodec();
    private final int stores;
    private final int mats;
    private final List<Gtin> gtins;
    private final long[][] seqs;
    private final SplittableRandom random = new SplittableRandom(7);
    private long ts;

    Workload(int stores, int products, int mats, long startTs) {
        this.stores = stores;
        this.mats = mats;
        this.gtins = gtins(products);
        this.seqs = new long[stores][mats + 1];
        this.ts = startTs;
    }

    static List<Gtin> gtins(int n) {
        List<Gtin> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Gtin.fromBody(String.format("05012345%05d", i)));
        }
        return out;
    }

    static String store(int s) {
        return "bench-" + s;
    }

    static String mat(int s, int m) {
        return "bench-" + s + "-mat-" + m;
    }

    static String till(int s) {
        return "bench-" + s + "-till";
    }

    List<Gtin> gtins() {
        return gtins;
    }

    int stores() {
        return stores;
    }

    int mats() {
        return mats;
    }

    /** One reading of every product of every store (so every product has state to read). */
    List<Message> everyProduct() {
        List<Message> out = new ArrayList<>();
        for (int s = 0; s < stores; s++) {
            for (int p = 0; p < gtins.size(); p++) {
                out.add(reading(s, p));
            }
        }
        return out;
    }

    List<Message> batch(int n) {
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int s = random.nextInt(stores);
            int p = random.nextInt(gtins.size());
            out.add(random.nextInt(10) < 7 ? reading(s, p) : sale(s, p));
        }
        return out;
    }

    Message reading(int s, int p) {
        int m = p % mats;
        long seq = ++seqs[s][m];
        byte[] payload = codec.encodeShelf("e" + seq, seq, ++ts,
            List.of(new Reading(gtins.get(p), random.nextInt(25), 24, "A" + p)));
        return new Message("onshelf/v1/stores/" + store(s) + "/shelf/" + mat(s, m), payload);
    }

    private Message sale(int s, int p) {
        long seq = ++seqs[s][mats];
        byte[] payload = codec.encodeFeed("e" + seq, seq, ++ts, EventType.SALE, gtins.get(p), 1);
        return new Message("onshelf/v1/stores/" + store(s) + "/feed/" + till(s), payload);
    }
}
