package dev.onshelf.aggregator.redis;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;

/**
 * The whole Redis key layout, in one place. Every key of a store carries the hash tag {@code {S}}, so
 * in a Redis Cluster one store lives in one slot and a script may touch all of a store's keys.
 *
 * <pre>
 * onshelf:{S}:store          hash    name, lat, lon, pickupMethod?, pickupSla?   registry; EXISTS = known store
 * onshelf:{S}:devices        hash    device -> shelf|feed                 registry: a device is (store, device id);
 *                                    every store may have its own till-1 (no global device index since
 *                                    2026-11-29: the old onshelf:devices is deleted when a node starts)
 * onshelf:{S}:src            hash    source -> "3|restarts|forgotten|floorTs|digests|evicted|epoch;.."
 *                                    the source's exactly-once ledger (SourceLedger): per epoch
 *                                    "session,startTs,maxTs,fog,a-b,c-d.." the ranges of seqs applied;
 *                                    digests: 12 hex of SHA-1 of each of the last 64 event ids;
 *                                    evicted: those of the sessions of epochs given up; fog: seqs given up;
 *                                    source#ids -> "ids;ids.." each epoch's first 64 event ids
 *                                    (SourceLedger.encodeIds), written only when they change
 * onshelf:{S}:idem:{src}:{id} string who|kind|items, 1 day (EPCIS 7) an HTTP write by its id (a person's, a partner's)
 * onshelf:{S}:audit          stream  who, kind, eventId, gtin, qty, ts, outcome   people's writes (~10000)
 * onshelf:{S}:health         hash    device -> "online(1|0),heartbeatSecs,statusTs,lastSeen(our clock),
 *                                    fence(status ts before the current online),session"
 * onshelf:{S}:alerts         stream  type, gtin, shelf, book, ts          restock alerts (capped ~100: the record of what was
 *                                    raised; nothing in OnShelf reads it back, handhelds follow MQTT)
 *                                    (gtin here, in changes and in audit: as the product's field, see field())
 * onshelf:{S}:changes        stream  gtin                                 change feed for SSE (capped ~ApplyParams.changeFeedMax)
 * onshelf:{S}:subs:{gtin}    hash    subscription id -> {"url","secret","client","host","expiresAt","failures"}
 *                                    back-in-stock webhooks (one-shot; expires with the newest one)
 * onshelf:{S}:p:{bucket}     hash    field(gtin) -> product value, packed (apply.lua's pack_product, read by
 *                                    StateCodec); in the scripts a table {s = {["dev|loc"] = {count,
 *                                    capacity, ts}}, b = book, bt = bookTs, ct = countTs, l = {{ts, delta}..},
 *                                    lf = ts, lv = 'I'|'L'|'O', ph = 0|1, t = lowStockOverride, h = {count, ts}}.
 *                                    Packed, version 2 (written since 2026-11-29 evening): LEB128 varints
 *                                    (signed: zigzag) after a first byte 0x80 + flags % 64 (+ 0x40 when
 *                                    flags >= 64):
 *                                      flags     level (bits 0-1: 0 none, 1 I, 2 L, 3 O), 4 ph, 8 b, 16 bt,
 *                                                32 ct, 64 deltas, 128 lf, 256 t, 512 h, 1024 slots other
 *                                                than one; flags / 64 follows the first byte when not 0
 *                                      T         the newest timestamp of the value (ms); the slots', bt,
 *                                                lf and h's timestamps are stored as T minus it, ct and
 *                                                the deltas' as B minus it (signed), B = bt if set, else T
 *                                      n (only with flag 1024; else one slot), then n slots: device
 *                                                index (devix), location, count (signed), capacity
 *                                                (signed), T - ts. Location: a varint c; c even: c / 2
 *                                                bytes of text follow; c odd: (c - 1) / 2 is the index of
 *                                                the location's shape in devix, and one varint follows,
 *                                                its digits as one number (see below)
 *                                      b (signed), T - bt, B - ct (signed), T - lf, t, h: count
 *                                                (signed), T - ts (each only when its flag is set)
 *                                      with flag 64: m, then m deltas: B - ts (signed), delta (signed)
 *                                    A location's shape: the location with each run of 1-9 ASCII digits
 *                                    replaced by one byte, its width: "A03-B1-S2-P05" is the shape
 *                                    "A\2-B\1-S\1-P\2" and the number 31205 (its digits 031205, padded to
 *                                    the widths' sum). Kept as text: no digits, more than 15 of them in
 *                                    such runs, a byte 1-9 of its own, or the table full (256 entries).
 *                                    Version 1 (first byte 0x01), read until the product's next write:
 *                                      flags     level (bits 0-1), 4 ph, 8 b, 16 bt, 32 ct, 64 lf, 128 t, 256 h
 *                                      T, n, then n slots: device index, location length, location
 *                                                bytes, count (signed), capacity (signed), T - ts
 *                                      b (signed), T - bt, T - ct, T - lf, t, h: count (signed), T - ts
 *                                                (each only when its flag is set)
 *                                      m, then m deltas: T - ts, delta (signed)
 *                                    A value whose first byte is '{' is JSON from before version 1 (the
 *                                    same fields); it is read as it is and stored packed on its next write.
 *                                    One hash per store per bucket of products (BUCKETS of them), so the
 *                                    small hashes stay compact (listpack)
 *                                    Also "h" + the product's field (heldField) -> the product's running
 *                                    click-and-collect holds, "expiresAt:qty,..." (HeldUnits; entries past
 *                                    expiry count for nothing and are dropped by the next hold script): in
 *                                    the product's bucket so one HMGET (and one near-cache entry) reads both
 * onshelf:{S}:holds          hash    hold id -> {"id","gtin","qty","expiresAt","createdAt","entry","bucket",
 *                                    "field"}  the store's holds (entry: its text in the held field)
 * onshelf:{S}:holds:exp      zset    hold id scored by expiresAt           for the sweep and the pick list
 * onshelf:{S}:holdkey:{k}    string  fingerprint "\n" record, 1 day        a hold's Idempotency-Key
 * onshelf:{S}:collected:{id} string  record, 1 day                         a hold collected (sold once)
 * onshelf:{S}:devix          hash    device -> index, "#"index -> device   the store's device table for
 *                                    packed slots: append-only (apply.lua assigns HLEN/2+1 on first use);
 *                                    also location shapes (version 2): "@"shape -> index, "#"index -> "@"shape,
 *                                    in the same indexes, new ones only while the table has < 256 entries
 * channel onshelf:{S}:health-changed  message: the store id      published after a status event changed a
 *                                    device's health; API processes drop their snapshot (StoreSnapshots)
 * onshelf:stores             set     store ids                            (global)
 * onshelf:holds:due          zset    store id scored by its earliest hold expiry (global; the sweep's
 *                                    index, kept after each hold made and each sweep: garbage collection only)
 * onshelf:geo:stores         geo     store locations                      (global)
 * onshelf:{S}:deadletter     stream  topic, reason, detail, at, payload   a registered store's refused messages
 *                                    (capped ~DEAD_LETTERS_PER_STORE); listed and replayed by the admin API
 * onshelf:deadletter         stream  topic, reason, detail, at, payload   (global, capped ~10,000) refused messages
 *                                    whose store cannot be told: no parsable store, or a store not registered
 * onshelf:subs:client:{c}    zset    subscription id scored by expiresAt  (global) live subscriptions of a client
 * onshelf:subs:host:{h}      zset    subscription id scored by expiresAt  (global) live subscriptions to a callback host
 * onshelf:catalog:{ix}:p:{gtin14}  hash  name, brand, size, category, imageUrl, terms    the catalogue (global);
 *                                    terms: the index prefixes the product is filed under (space-separated)
 * onshelf:catalog:{ix}:w:{prefix}  zset  gtin14 -> score        search index (global): every prefix (2-15
 *                                    chars) of every word of name and brand (SearchTerms); a query sums
 *                                    its words' scores (ZINTERSTORE in catalog_search.lua). The hash tag
 *                                    {ix} keeps the catalogue in one cluster slot, so words can be intersected
 * onshelf:catalog:{ix}:scratch     zset  catalog_search.lua's intersection, deleted within the script
 * onshelf:apikeys            hash    key id -> {"hash": SHA-256 of the key (hex), "name", "ratePerSecond"?,
 *                                    "createdAt"}   API keys the operator issued (global); never the key itself
 * channel onshelf:apikeys-changed    message: the key id   published after a key was issued or revoked; API
 *                                    processes reload their set of known keys (ApiKeys)
 * onshelf:rate:{c}:{second}  string  requests of client c (addr:ADDRESS or key:ID) in that epoch second
 *                                    (global, ONSHELF_RATE_LIMIT_SHARED only; rate_window.lua; expires after 2 s)
 * </pre>
 * Scripts: {@code onshelf/lua/apply.lua} (a batch of events, atomically), {@code gaps.lua} (a store's empty,
 * low and phantom products), {@code threshold.lua} (a low-stock override) and {@code catalog_put.lua} (one catalogue entry and its index terms) and
 * {@code buckets.lua} (moves a store's products from the old 1,024 buckets into the 256 of today) and
 * {@code catalog_search.lua} (a search with its entries) and {@code products.lua} (every product of a page
 * of a store's buckets, for the local inventory feed) and {@code rate_window.lua} (one request counted
 * in a client's window of one second) and {@code hold_create.lua}, {@code hold_release.lua},
 * {@code hold_sweep.lua} (click-and-collect holds; the sweep reaches the buckets its records name) and
 * {@code device_put.lua}, {@code device_delete.lua}, {@code store_delete.lua} (the registry, atomic against
 * the events in flight) and {@code deadletter.lua} (a refused message into its store's stream while the store
 * is registered) and {@code source_rename.lua} (the handheld's and EPCIS's sources of before 2026-11-29).
 * A source is a device id, or one of OnShelf's own: {@code ~handheld} (staff counts, collected holds),
 * {@code ~epcis} (partners' EPCIS events), ids no device can have. The catalogue's scripts reach index and
 * entry keys they are not given as KEYS: all share the hash tag {ix}, so they are in the script's slot.
 * On a Redis Cluster every script call touches one slot: a store's ({S}), the catalogue's ({ix}) or one
 * rate window's; the global keys are read and written only by single-key commands outside scripts
 * (e.g. {@link #HOLDS_DUE} beside hold_create.lua and hold_sweep.lua), and a batch of events of several
 * stores is one apply.lua call per store ({@code RedisAvailabilityStore.applyAll}).
 */
public final class Keys {
    /**
     * Buckets per store: as few as Redis's default listpack limit (hash-max-listpack-entries 128) allows
     * for a store of 30,000 products (~117 per bucket; 10,000 products: ~39), since each bucket key
     * costs ~100 bytes whatever it holds. Versions before the packed value had 1,024 (the old bucket i
     * is the new i % 256: {@code buckets.lua} merges them).
     */
    public static final int BUCKETS = 256;
    /** The bucket count before the packed value (see {@code buckets.lua}). */
    static final int OLD_BUCKETS = 1024;
    public static final String STORES = "onshelf:stores";
    /** The global device -> store index of versions before 2026-11-29 (deleted when a node starts). */
    static final String LEGACY_DEVICES = "onshelf:devices";
    public static final String GEO = "onshelf:geo:stores";
    /** Dead letters whose store cannot be told (see {@link #deadLetters(StoreId)} for the others). */
    public static final String DEAD_LETTER = "onshelf:deadletter";
    /** Entries a store's dead-letter stream keeps (approximately: trimmed with MAXLEN ~). */
    public static final long DEAD_LETTERS_PER_STORE = 1_000;
    /** Entries the global dead-letter stream keeps (approximately). */
    public static final long DEAD_LETTERS_GLOBAL = 10_000;
    /** Stores with holds, scored by their earliest expiry (the sweep's index). */
    public static final String HOLDS_DUE = "onshelf:holds:due";

    public static final String CATALOG = "onshelf:catalog:{ix}:";
    /** Catalogue entries: this prefix and the GTIN. */
    public static final String PRODUCTS = CATALOG + "p:";
    /** Where catalog_search.lua intersects several terms; deleted before the script returns. */
    public static final String SEARCH_SCRATCH = CATALOG + "scratch";

    /** API keys the operator issued, by id (see the layout above). */
    public static final String API_KEYS = "onshelf:apikeys";
    /** Pub/sub channel: an API key was issued or revoked (message: its id). */
    public static final String API_KEYS_CHANGED = "onshelf:apikeys-changed";

    private Keys() {
    }

    private static String prefix(StoreId store) {
        return "onshelf:{" + store.value() + "}:";
    }

    public static String store(StoreId store) {
        return prefix(store) + "store";
    }

    public static String devices(StoreId store) {
        return prefix(store) + "devices";
    }

    /** A registered store's dead letters (capped ~{@link #DEAD_LETTERS_PER_STORE}). */
    public static String deadLetters(StoreId store) {
        return prefix(store) + "deadletter";
    }

    /**
     * SCAN pattern of every key of a store (store codes hold no glob characters, and braces are not
     * special in a Redis pattern).
     */
    public static String everyKeyOf(StoreId store) {
        return prefix(store) + "*";
    }

    public static String sources(StoreId store) {
        return prefix(store) + "src";
    }

    /** The field of {@link #sources}'s hash that holds a source's epochs' ids ({@code #}: in no source id). */
    public static String sourceIdsField(String source) {
        return source + IDS_SUFFIX;
    }

    /** Whether a field of {@link #sources}'s hash is a source's ids, not its ledger. */
    public static boolean isSourceIdsField(String field) {
        return field.endsWith(IDS_SUFFIX);
    }

    private static final String IDS_SUFFIX = "#ids";

    public static String health(StoreId store) {
        return prefix(store) + "health";
    }

    public static String idempotency(StoreId store, String source, String eventId) {
        return prefix(store) + "idem:" + source + ":" + eventId;
    }

    public static String audit(StoreId store) {
        return prefix(store) + "audit";
    }

    public static String subscriptions(StoreId store, Gtin gtin) {
        return prefix(store) + "subs:" + gtin.value();
    }

    /** The live subscriptions a client (address or IPv6 /64) has made, for its cap. */
    public static String subscriptionsByClient(String client) {
        return "onshelf:subs:client:" + client;
    }

    /** The live subscriptions calling one callback host, for its cap. */
    public static String subscriptionsByHost(String host) {
        return "onshelf:subs:host:" + host;
    }

    /** A client's request count in one epoch second, for the rate limit shared by every API process. */
    public static String rateWindow(String client, long epochSecond) {
        return "onshelf:rate:{" + client + "}:" + epochSecond;
    }

    /** The store's device table for packed product values (device -> index, "#index" -> device). */
    public static String devix(StoreId store) {
        return prefix(store) + "devix";
    }

    /** Pub/sub channel: a device's health changed in the store (message: the store id). */
    public static String healthChanged(StoreId store) {
        return prefix(store) + "health-changed";
    }

    /** Every store's {@link #healthChanged} channel. */
    public static final String HEALTH_CHANGED_PATTERN = "onshelf:{*}:health-changed";

    public static String changes(StoreId store) {
        return prefix(store) + "changes";
    }

    public static String alerts(StoreId store) {
        return prefix(store) + "alerts";
    }

    public static String product(Gtin gtin) {
        return PRODUCTS + gtin.value();
    }

    /** The search index of one word prefix (see SearchTerms). */
    public static String searchTerm(String prefix) {
        return CATALOG + "w:" + prefix;
    }

    /** A product's field in its bucket ({@link #bucket}): the one place that names it. */
    public static String productField(Gtin gtin) {
        return field(gtin);
    }

    /** The field beside the product's in its bucket holding its running click-and-collect holds. */
    public static String heldField(Gtin gtin) {
        return "h" + productField(gtin);
    }

    /** Whether a field of a bucket is a product's held units ({@link #heldField}) rather than a product. */
    public static boolean isHeldField(String field) {
        return field.startsWith("h");
    }

    /** The product field a held field belongs to. */
    public static String productFieldOfHeld(String heldField) {
        return heldField.substring(1);
    }

    public static String holds(StoreId store) {
        return prefix(store) + "holds";
    }

    public static String holdsByExpiry(StoreId store) {
        return prefix(store) + "holds:exp";
    }

    public static String holdKey(StoreId store, String idempotencyKey) {
        return prefix(store) + "holdkey:" + idempotencyKey;
    }

    public static String collected(StoreId store, String holdId) {
        return prefix(store) + "collected:" + holdId;
    }

    public static String bucket(StoreId store, Gtin gtin) {
        return prefix(store) + "p:" + bucketOf(gtin);
    }

    /**
     * Every key of a store whose name is fixed (its registration, devices, ledgers, health, streams,
     * device table, holds, dead letters and every product bucket): what {@code store_delete.lua} deletes
     * at once. Its other keys (idempotency, hold keys, collected holds, webhook subscriptions) all expire.
     */
    public static String[] fixedKeys(StoreId store) {
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(store(store), devices(store),
            sources(store), health(store), alerts(store), changes(store), audit(store), devix(store), holds(store),
            holdsByExpiry(store), deadLetters(store)));
        keys.addAll(java.util.Arrays.asList(buckets(store)));
        return keys.toArray(String[]::new);
    }

    /** Every product bucket of a store (for store-wide scans such as the staff gap list). */
    public static String[] buckets(StoreId store) {
        String[] out = new String[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = prefix(store) + "p:" + i;
        }
        return out;
    }

    /** The store's bucket keys as versions before the packed value laid them out. */
    static String[] oldBuckets(StoreId store) {
        String[] out = new String[OLD_BUCKETS];
        for (int i = 0; i < OLD_BUCKETS; i++) {
            out[i] = prefix(store) + "p:" + i;
        }
        return out;
    }

    /**
     * A product's field in its bucket (and its value in the change feed, the alert and audit streams): the
     * GTIN without its leading zeros, a canonical integer, which a listpack stores as a 64-bit integer
     * (~10 bytes) rather than as 14 characters (~16). Versions before 2026-11-29 used the 14 digits
     * ({@code buckets.lua} renames them when a node starts).
     */
    public static String field(Gtin gtin) {
        String v = gtin.value();
        int i = 0;
        while (i < v.length() - 1 && v.charAt(i) == '0') {
            i++;
        }
        return v.substring(i);
    }

    /** The GTIN of a product's {@link #field} (also reads a 14-digit field of the old layout). */
    public static Gtin gtinOf(String field) {
        return new Gtin(field.length() >= 14 ? field : "0".repeat(14 - field.length()) + field);
    }

    /** GTINs of one maker are sequential, so the number without its check digit spreads evenly. */
    static int bucketOf(Gtin gtin) {
        return (int) (Long.parseLong(gtin.value().substring(0, 13)) % BUCKETS);
    }
}
