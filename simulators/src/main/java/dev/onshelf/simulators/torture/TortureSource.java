package dev.onshelf.simulators.torture;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.Gtin;
import java.util.List;
import java.util.Optional;

/**
 * One till of the torture workload: numbers its sales, stamps them with its clock (millisecond or
 * second resolution), optionally carries a session (boot) id, may reboot once mid-stream (seq back to
 * 1, new event ids, newer ts; a new session id when it has one), and publishes some sales twice the
 * way a retrying till does: same eventId and seq, ts re-stamped {@value #RETRY_RESTAMP_MS} ms later.
 * Not thread-safe: one publisher thread owns it.
 */
final class TortureSource {
    static final long RETRY_RESTAMP_MS = 5;
    private final EventCodec codec = new EventCodec();
    private final String device;
    private final String topic;
    private final boolean secondResolution;
    private final boolean withSession;
    private final long rebootAt;
    private final int duplicateEvery;
    private int boot;
    private long seq;
    private final String store;
    private long sent;
    private long lastTs;

    /** One sale to publish, and its re-stamped retry when this one is published twice. */
    record Sale(int product, byte[] payload, Optional<byte[]> retry) {
    }

    TortureSource(String store, String device, boolean secondResolution, boolean withSession, long rebootAt,
        int duplicateEvery) {
        this.store = store;
        this.device = device;
        this.topic = "onshelf/v1/stores/" + store + "/feed/" + device;
        this.secondResolution = secondResolution;
        this.withSession = withSession;
        this.rebootAt = rebootAt;
        this.duplicateEvery = duplicateEvery;
    }

    String device() {
        return device;
    }

    String topic() {
        return topic;
    }

    String describe() {
        return device + " (ts " + (secondResolution ? "seconds" : "ms") + (withSession ? ", session" : "")
            + (rebootAt > 0 ? ", reboots after " + rebootAt : "") + ")";
    }

    /** The next sale, of product {@code product} out of {@code gtins}, stamped from {@code nowMillis}. */
    Sale next(List<Gtin> gtins, int product, long nowMillis) {
        if (sent == rebootAt && rebootAt > 0) {
            boot++;
            seq = 0;  // a reboot: numbering starts again, with a newer clock
        }
        sent++;
        seq++;
        long ts = Math.max(secondResolution ? nowMillis - nowMillis % 1000 : nowMillis, lastTs);
        if (!secondResolution && ts == lastTs) {
            ts++;  // a millisecond clock of a till that sells fast still moves forward
        }
        lastTs = ts;
        String eventId = device + "-b" + boot + "-" + seq;
        byte[] payload = encode(eventId, ts, gtins.get(product));
        Optional<byte[]> retry = duplicateEvery > 0 && sent % duplicateEvery == 0
            ? Optional.of(encode(eventId, ts + RETRY_RESTAMP_MS, gtins.get(product))) : Optional.empty();
        return new Sale(product, payload, retry);
    }

    private byte[] encode(String eventId, long ts, Gtin gtin) {
        return codec.encode(new FeedEvent(new StoreId(store), new DeviceId(device), eventId, seq, ts, EventType.SALE,
            gtin, 1, withSession ? device + "-boot-" + boot : ""));
    }
}
