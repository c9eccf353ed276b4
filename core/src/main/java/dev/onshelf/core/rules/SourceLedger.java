package dev.onshelf.core.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Exactly-once bookkeeping for one source (device or feed), mirrored line by line by
 * {@code apply.lua}; both read and write the same text ({@link #encode()}), and the property tests
 * hold them to it.
 *
 * <p>An event is identified by its source and event id; its seq places it in the source's numbering.
 * The ledger keeps an <b>exact record of the seqs applied</b>, as ranges (one range for a source that
 * arrives in order, one more per hole), per <b>epoch</b>: one numbering of the source, from a boot to
 * the next. So a redelivery of anything applied is recognised and anything never applied is applied
 * once, however late it comes and whatever its {@code ts}.
 * <ul>
 *   <li>An event that names its {@code session} (boot id) belongs to that session's epoch.</li>
 *   <li>Without one, the epoch is found by time: the newest whose first event is not newer than this
 *   one. A seq already applied there with a {@code ts} beyond everything of that epoch is not a
 *   redelivery: it belongs to the next epoch, or starts a new one (a restart).</li>
 *   <li>The digests of the last {@code recentIds} event ids catch a retransmission that was
 *   re-stamped (same event, newer {@code ts}), which would otherwise look like a restart.</li>
 * </ul>
 * Memory is bounded: at most {@link #MAX_RANGES} ranges per epoch (past it the oldest hole is
 * given up, its seqs counted in {@code forgotten}, and every seq below the next range becomes fog)
 * and {@link #MAX_EPOCHS} epochs (the one with the oldest newest event goes). An event in the fog or
 * of a forgotten epoch is refused as {@link Admission#FORGOTTEN}, visibly, never guessed.
 */
public final class SourceLedger {
    public static final int MAX_EPOCHS = 8;
    /**
     * Ranges (holes + 1) an epoch keeps. Holes come from reorders; the deepest are a shared
     * subscription's: a gateway killed takes every other event of a device with it until it is back
     * (Mosquitto keeps queueing its share in its session meanwhile), so a device sending r events a
     * second leaves about r/2 holes per second of that gateway's absence (README, "Several gateways").
     * Each range costs ~12 bytes of the ledger while it lasts; the script finds a seq by binary search.
     */
    public static final int MAX_RANGES = 4096;
    /** Session names of forgotten epochs remembered (as digests), so their events are refused, not recounted. */
    public static final int MAX_EVICTED = 32;
    static final int DIGEST_CHARS = 12;

    long restarts;
    long forgotten;
    /** The newest ts of any epoch given up: an event not newer than it cannot be placed. */
    long floorTs;
    /** The event-id digests, oldest first, DIGEST_CHARS each. */
    String recent = "";
    /** The digests of the session names of epochs given up, oldest first. */
    String evicted = "";
    final List<Epoch> epochs = new ArrayList<>();
    /** Set by the last {@link #admit} that had to forget something to stay bounded. */
    boolean boundReached;

    /**
     * Admits an event (seq 0: numbered here, after the newest epoch's highest) and records it when
     * it applies.
     */
    public Admission admit(String eventId, String session, long seq, long ts, int recentIds) {
        boundReached = false;
        String digest = digest(eventId);
        if (remembers(recent, digest)) {
            return Admission.DUPLICATE;
        }
        boolean named = session != null && !session.isEmpty();
        String name = named ? session : "";
        int at;
        boolean created = false;
        if (epochs.isEmpty()) {
            epochs.add(new Epoch(name, ts, ts));
            at = 0;
            seq = seq == 0 ? 1 : seq;
        } else if (seq == 0) {
            at = epochs.size() - 1;
            seq = epochs.get(at).hi() + 1;
        } else if (named) {
            at = indexOf(name);
            if (at < 0) {
                if (remembers(evicted, digest(name))) {
                    return forget();
                }
                at = insert(new Epoch(name, ts, ts));
                created = true;
            }
        } else {
            at = -1;
            for (int i = epochs.size() - 1; i >= 0; i--) {
                if (epochs.get(i).startTs <= ts) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                if (ts <= floorTs) {
                    return forget();
                }
                at = 0;
            }
            // a seq already applied in its epoch (or given up as fog), yet newer than everything of that
            // epoch: not a redelivery (those are no newer than the epoch's newest). Either that very event
            // re-stamped (its id, kept for an epoch's first seqs, says so), or the next numbering (a restart
            // starts again at 1). A seq not applied (in a hole, below the first, past the highest) is the
            // late event its epoch waits for, whatever its stamp
            while (ts > epochs.get(at).maxTs && (epochs.get(at).contains(seq) || seq <= epochs.get(at).fog)) {
                if (epochs.get(at).applied(seq, digest)) {
                    return Admission.DUPLICATE;  // that very event, re-stamped: its id says so
                }
                // a reboot starts again at 1, and a retransmission of one of a numbering's first seqs is
                // still among the ids remembered: past them the two cannot be told apart. Nor is a seq past
                // them stamped before the next numbering's first event of that numbering (which began at
                // one of those first seqs): a late retry of this one's (several gateways hold events back)
                if (seq > recentIds && (at == epochs.size() - 1 || ts < epochs.get(at + 1).startTs)) {
                    return forget();
                }
                if (at == epochs.size() - 1) {
                    epochs.add(new Epoch("", ts, ts));
                    created = true;
                }
                at++;
            }
        }
        Epoch e = epochs.get(at);
        if (seq <= e.fog) {
            return forget();
        }
        if (e.contains(seq)) {
            return Admission.DUPLICATE;
        }
        Admission admission = e.add(seq);
        e.remember(seq, digest);
        e.maxTs = Math.max(e.maxTs, ts);
        e.startTs = Math.min(e.startTs, ts);
        if (e.ranges.size() > MAX_RANGES) {  // give up the oldest hole: below the next range is fog
            forgotten += e.ranges.get(1)[0] - e.ranges.get(0)[1] - 1;
            e.fog = e.ranges.get(1)[0] - 1;
            e.ranges.remove(0);
            boundReached = true;
        }
        if (created) {
            restarts++;
            admission = Admission.RESTART;
            if (epochs.size() > MAX_EPOCHS) {
                evict();
            }
        }
        recent = keep(recent + digest, recentIds);
        return admission;
    }

    /** Forgets the epoch whose newest event is the oldest; a named one's session is refused from then on. */
    private void evict() {
        int oldest = 0;
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).maxTs < epochs.get(oldest).maxTs) {
                oldest = i;
            }
        }
        Epoch gone = epochs.remove(oldest);
        floorTs = Math.max(floorTs, gone.maxTs);
        if (!gone.session.isEmpty()) {
            evicted = keep(evicted + digest(gone.session), MAX_EVICTED);
        }
        boundReached = true;
    }

    private static String keep(String digests, int count) {
        return digests.length() > count * DIGEST_CHARS ? digests.substring(digests.length() - count * DIGEST_CHARS)
            : digests;
    }

    private Admission forget() {
        forgotten++;
        boundReached = true;
        return Admission.FORGOTTEN;
    }

    private static boolean remembers(String digests, String digest) {
        for (int i = 0; i + DIGEST_CHARS <= digests.length(); i += DIGEST_CHARS) {
            if (digests.regionMatches(i, digest, 0, DIGEST_CHARS)) {
                return true;
            }
        }
        return false;
    }

    private int indexOf(String session) {
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i).session.equals(session)) {
                return i;
            }
        }
        return -1;
    }

    /** Epochs stay ordered by their first event's time. */
    private int insert(Epoch e) {
        int i = epochs.size();
        while (i > 0 && epochs.get(i - 1).startTs > e.startTs) {
            i--;
        }
        epochs.add(i, e);
        return i;
    }

    /** The first {@value #DIGEST_CHARS} hex digits (48 bits) of the text's SHA-1 (as Redis's redis.sha1hex). */
    static String digest(String eventId) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, DIGEST_CHARS / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long highestSeq() {
        return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).hi();
    }

    public long newestTs() {
        long ts = 0;
        for (Epoch e : epochs) {
            ts = Math.max(ts, e.maxTs);
        }
        return ts;
    }

    /** Seqs skipped and not (yet) seen: messages lost upstream, or still on their way. */
    public long gaps() {
        long n = 0;
        for (Epoch e : epochs) {
            n += e.holes();
        }
        return n;
    }

    public long restarts() {
        return restarts;
    }

    /** Seqs given up and events refused because a bound of the ledger was reached. */
    public long forgotten() {
        return forgotten;
    }

    public boolean boundReached() {
        return boundReached;
    }

    /**
     * The stored text: {@code 3|restarts|forgotten|floorTs|digests|evictedSessions|epoch;epoch...} where
     * an epoch is {@code session,startTs,maxTs,fog,a-b,c-d...}. The epochs' ids are kept apart
     * ({@link #encodeIds()}): they change only while an epoch is at its first seqs, and this text is
     * written with every batch that touches the source. Versions before 2026-11-29 (session 8) wrote
     * {@code 2|...} with each epoch's ids inline ({@code ,#ids} after its fog); {@link #decode} reads both.
     */
    public String encode() {
        StringBuilder b = new StringBuilder("3|").append(restarts).append('|').append(forgotten).append('|')
            .append(floorTs).append('|').append(recent).append('|').append(evicted).append('|');
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            if (i > 0) {
                b.append(';');
            }
            b.append(e.session).append(',').append(e.startTs).append(',').append(e.maxTs).append(',').append(e.fog);
            for (long[] r : e.ranges) {
                b.append(',').append(r[0]).append('-').append(r[1]);
            }
        }
        return b.toString();
    }

    /**
     * The epochs' ids ({@link Epoch#ids}), each epoch's in epoch order with {@code ;} between, or
     * {@code ""} when no epoch keeps any (then nothing is stored). Stored beside {@link #encode()}'s text
     * (field {@code <source>#ids}).
     */
    public String encodeIds() {
        StringBuilder b = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < epochs.size(); i++) {
            if (i > 0) {
                b.append(';');
            }
            b.append(epochs.get(i).ids);
            any |= !epochs.get(i).ids.isEmpty();
        }
        return any ? b.toString() : "";
    }

    /** Reads {@link #encode()}'s and {@link #encodeIds()}'s texts (either may be null or empty). */
    public static SourceLedger decode(String text, String ids) {
        SourceLedger ledger = decode(text);
        if (ids != null && !ids.isEmpty()) {
            String[] each = ids.split(";", -1);
            for (int i = 0; i < each.length && i < ledger.epochs.size(); i++) {
                ledger.epochs.get(i).ids = each[i];
            }
        }
        return ledger;
    }

    /**
     * Reads {@link #encode()}'s text (without the ids, which only {@link #decode(String, String)} adds),
     * or a {@code 2|} text of before with its ids inline; an empty or missing text is a new ledger.
     */
    public static SourceLedger decode(String text) {
        SourceLedger ledger = new SourceLedger();
        if (text == null || text.isEmpty()) {
            return ledger;
        }
        if (!text.startsWith("3|") && !text.startsWith("2|")) {  // before epochs: "hi,newestTs,gaps,restarts,..": seqs 1..hi applied
            String[] old = text.split(",");
            Epoch e = new Epoch("", 0, Long.parseLong(old[1]));
            e.ranges.add(new long[] {1, Long.parseLong(old[0])});
            ledger.epochs.add(e);
            ledger.restarts = Long.parseLong(old[3]);
            return ledger;
        }
        String[] f = text.split("\\|", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("not a source ledger: " + text);
        }
        ledger.restarts = Long.parseLong(f[1]);
        ledger.forgotten = Long.parseLong(f[2]);
        ledger.floorTs = Long.parseLong(f[3]);
        ledger.recent = f[4];
        ledger.evicted = f[5];
        if (!f[6].isEmpty()) {
            for (String epoch : f[6].split(";")) {
                String[] p = epoch.split(",", -1);
                Epoch e = new Epoch(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
                e.fog = Long.parseLong(p[3]);
                for (int i = 4; i < p.length; i++) {
                    if (p[i].startsWith("#")) {
                        e.ids = p[i].substring(1);
                        continue;
                    }
                    int dash = p[i].indexOf('-');
                    e.ranges.add(new long[] {Long.parseLong(p[i].substring(0, dash)), Long.parseLong(p[i].substring(dash + 1))});
                }
                ledger.epochs.add(e);
            }
        }
        return ledger;
    }
}
