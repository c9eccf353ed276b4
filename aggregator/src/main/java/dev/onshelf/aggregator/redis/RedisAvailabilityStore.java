package dev.onshelf.aggregator.redis;

import dev.onshelf.core.availability.HeldUnits;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.DeadLetter;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.ingest.StoreFencedException;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Numbered;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Availability state in Redis: applies events with one atomic script call each and reads a product
 * back with one {@code HGET} (the store's registration, device health and device table come from
 * {@link StoreSnapshots}). Asynchronous only; callers bridge the stages onto their event loop.
 */
public final class RedisAvailabilityStore implements EventSink {
    private final RedisClusterAsyncCommands<String, String> redis;
    private final LongSupplier clock;
    private final LuaScript apply = LuaScript.fromClasspath("apply.lua");
    private final LuaScript threshold = LuaScript.fromClasspath("threshold.lua");
    private final LuaScript gaps = LuaScript.fromClasspath("gaps.lua");
    private final LuaScript buckets = LuaScript.fromClasspath("buckets.lua");
    private final LuaScript products = LuaScript.fromClasspath("products.lua");
    private final StateCodec codec = new StateCodec();
    private final StoreSnapshots snapshots;
    private final DeadLetters deadLetters;
    /** Product values kept by this process (null: none, every lookup reads Redis). */
    private final NearCache near;

    private final Runnable issued;
    private final ReplicaWait wait;
    /** ARGV[2..7] of apply.lua: the same for every event, rendered once. */
    private final List<String> paramArgs;

    /**
     * {@code snapshots} is shared by every store object of the process (so that a status applied by the
     * ingest's store shows at once in the API's reads) and reads on an auto-flushed connection.
     */
    public RedisAvailabilityStore(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock,
                                  ApplyParams params, Runnable issued, StoreSnapshots snapshots) {
        this(redis, clock, params, issued, snapshots, null);
    }

    /**
     * {@code near}, when not null, is shared by every store object of the process like the snapshots:
     * lookups read through it, and writes drop what it kept of the buckets they wrote before they are
     * reported done.
     */
    public RedisAvailabilityStore(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock,
                                  ApplyParams params, Runnable issued, StoreSnapshots snapshots, NearCache near) {
        this(redis, clock, params, issued, snapshots, near, ReplicaWait.NONE);
    }

    /**
     * {@code wait}: applies are reported done only once that many replicas have them (WAIT). On a Redis
     * Cluster ({@code redis} routed by slot) a batch's call is then sent to the master of its store on
     * this connection's own link to it, and the WAIT follows on that link (WAIT counts a connection's
     * own writes); a call reaching a node that no longer owns the slot fails (MOVED) and is retried.
     */
    public RedisAvailabilityStore(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock,
                                  ApplyParams params, Runnable issued, StoreSnapshots snapshots, NearCache near,
                                  ReplicaWait wait) {
        this.redis = redis;
        this.wait = wait;
        this.clock = clock;
        this.issued = issued;
        this.snapshots = snapshots;
        this.near = near;
        this.deadLetters = new DeadLetters(redis, issued);
        this.paramArgs = List.of(Integer.toString(params.recentIds()), Long.toString(params.deltaHorizonMs()),
            Integer.toString(params.maxDeltas()), Integer.toString(params.lowStockUnits()),
            Long.toString(params.shelfFreshMs()), Integer.toString(params.changeFeedMax()));
    }

    public RedisAvailabilityStore(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock,
                                  ApplyParams params, StoreSnapshots snapshots) {
        this(redis, clock, params, CoalescingFlusher.none(), snapshots);
    }

    /** With snapshots of its own (tests, tools: one store object per process). */
    public RedisAvailabilityStore(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock,
                                  ApplyParams params) {
        this(redis, clock, params, new StoreSnapshots(redis, clock));
    }

    /** The near cache of the process, or null (the hold store drops what it kept of buckets it wrote). */
    NearCache near() {
        return near;
    }

    /** The snapshots and clock of the process (shared with the hold store). */
    LongSupplier clock() {
        return clock;
    }

    /** Loads the scripts into Redis (at start-up: the first burst of events then needs no fallback). */
    public CompletionStage<Void> preload() {
        return apply.load(redis).thenCompose(x -> threshold.load(redis))
            .thenCompose(x -> gaps.load(redis))
            .thenApply(x -> null);
    }

    @Override
    public CompletionStage<ApplyResult> apply(Event event, Attribution by) {
        return applyAll(List.of(new Write(event, by))).get(0);
    }

    /**
     * Applies a batch with one call of apply.lua (same outcome as one by one, see the script). A
     * script error (a bug, or state it cannot read) fails the whole call before it writes anything:
     * the events are then applied one at a time, so only the one that fails is refused with
     * {@code store.error}. In a Redis Cluster a call may only touch one slot: a batch of several stores
     * is then split into one call per store (the batches of different stores are independent; what a
     * cluster gives up is only that they are applied in one step, which nothing relies on).
     */
    @Override
    public List<CompletionStage<ApplyResult>> applyAll(List<Write> writes) {
        return applyAll(writes, store -> "");
    }

    /**
     * With a fence, each call first checks that the Redis it runs on is its stores' server process
     * (apply.lua's ARGV[8]); on a cluster each store's call checks its own master.
     */
    @Override
    public List<CompletionStage<ApplyResult>> applyAll(List<Write> writes,
                                                       java.util.function.Function<StoreId, String> fences) {
        if (writes.isEmpty()) {
            return List.of();
        }
        if (!(redis instanceof RedisAdvancedClusterAsyncCommands)) {
            return applyTogether(writes, fenceOf(writes, fences));
        }
        // a Redis Cluster: a call's keys must share a slot, so one call per store (its keys carry {S}),
        // sent in the order of each store's first event (a source's events keep their order: one store)
        Map<StoreId, List<Integer>> byStore = new java.util.LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            byStore.computeIfAbsent(writes.get(i).event().store(), s -> new ArrayList<>()).add(i);
        }
        if (byStore.size() == 1) {
            return applyTogether(writes, fenceOf(writes, fences));
        }
        List<CompletionStage<ApplyResult>> out = new ArrayList<>(java.util.Collections.nCopies(writes.size(), null));
        for (Map.Entry<StoreId, List<Integer>> one : byStore.entrySet()) {
            List<Integer> at = one.getValue();
            List<CompletionStage<ApplyResult>> done = applyTogether(at.stream().map(writes::get).toList(),
                fences.apply(one.getKey()));
            for (int j = 0; j < at.size(); j++) {
                out.set(at.get(j), done.get(j));
            }
        }
        return out;
    }

    /**
     * One call's fence: its stores' process when they agree; when they do not (some moved to a new
     * process, some not yet), one no Redis has, so that the call is refused and each learns its own.
     */
    private static String fenceOf(List<Write> writes, java.util.function.Function<StoreId, String> fences) {
        String fence = null;
        for (Write w : writes) {
            String f = fences.apply(w.event().store());
            if (fence == null) {
                fence = f;
            } else if (!fence.equals(f)) {
                return StoreFencedException.NO_PROCESS;
            }
        }
        return fence == null ? "" : fence;
    }

    /**
     * Where a batch's call goes: the routed connection, or, on a cluster with WAIT on, this connection's
     * link to the master of the batch's slot (WAIT must follow on the connection that wrote).
     */
    private CompletionStage<RedisClusterAsyncCommands<String, String>> on(String key) {
        if (!wait.on() || !(redis instanceof RedisAdvancedClusterAsyncCommands<String, String> cluster)) {
            return CompletableFuture.completedStage(redis);
        }
        var connection = cluster.getStatefulConnection();
        var master = connection.getPartitions().getMasterBySlot(io.lettuce.core.cluster.SlotHash.getSlot(key));
        if (master == null) {
            return CompletableFuture.failedStage(new io.lettuce.core.RedisException("no master serves " + key));
        }
        return connection.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort(),
            io.lettuce.core.protocol.ConnectionIntent.WRITE).thenApply(c -> c.async());
    }

    /** One call of apply.lua for the batch: on a cluster, the events of one store. */
    private List<CompletionStage<ApplyResult>> applyTogether(List<Write> writes, String fence) {
        List<String> keys = new ArrayList<>(writes.size() * 4 + 8);
        List<String> args = new ArrayList<>(writes.size() * 16 + 8);
        args.add(Long.toString(clock.getAsLong()));
        args.addAll(paramArgs);
        args.add(fence);
        args.add(Integer.toString(writes.size()));
        Map<StoreId, Integer> storeKeys = new HashMap<>();
        List<String> own = new ArrayList<>(16);
        List<String> buckets = near == null ? null : new ArrayList<>(writes.size());
        for (Write w : writes) {
            Event event = w.event();
            StoreId store = event.store();
            Integer kb = storeKeys.get(store);
            if (kb == null) {
                kb = keys.size() + 1;
                storeKeys.put(store, kb);
                keys.add(Keys.store(store));
                keys.add(Keys.devices(store));
                keys.add(Keys.sources(store));
                keys.add(Keys.health(store));
                keys.add(Keys.alerts(store));
                keys.add(Keys.changes(store));
                keys.add(Keys.audit(store));
                keys.add(Keys.devix(store));  // the product codec's device table
            }
            int ki = keys.size() + 1;
            own.clear();
            encode(event, w.by(), keys, own);
            if (buckets != null) {  // the event's own keys: its buckets, after its idempotency key if any
                buckets.addAll(keys.subList(ki - 1 + (w.by().idempotencySeconds() > 0 ? 1 : 0), keys.size()));
            }
            args.add(Integer.toString(kb));
            args.add(Integer.toString(ki));
            args.add(Integer.toString(own.size()));
            args.addAll(own);
        }
        String[] keyArray = keys.toArray(String[]::new);
        String[] argArray = args.toArray(String[]::new);
        CompletionStage<List<ApplyResult>> results = on(keyArray[0]).thenCompose(on -> apply.run(on, issued, keyArray,
                argArray).thenCompose(reply -> wait.after(on, issued).thenApply(x -> reply)))
            .whenComplete((reply, error) -> {
                if (buckets != null) {
                    near.changed(buckets);  // before anyone hears the write is done: it reads its own write
                }
            })
            .handle((reply, error) -> error == null ? replied(reply, writes.size())
                : scriptError(error) && writes.size() > 1 ? oneByOne(writes, fence) : failure(error))
            .thenCompose(x -> x);
        List<CompletionStage<ApplyResult>> out = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            int at = i;
            Event event = writes.get(i).event();
            out.add(results.thenCompose(all -> event instanceof StatusEvent
                ? healthChanged(all.get(at), event.store()) : CompletableFuture.completedStage(all.get(at))));
        }
        return out;
    }

    /** A batch whose script failed: each event alone, so that only the culprit is refused. */
    private CompletionStage<List<ApplyResult>> oneByOne(List<Write> writes, String fence) {
        List<CompletableFuture<ApplyResult>> each = new ArrayList<>();
        for (Write w : writes) {
            each.add(applyAll(List.of(w), fence).get(0).toCompletableFuture());
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
            .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /** One event's keys (its own: the idempotency key, then a bucket per item) and arguments. */
    private void encode(Event event, Attribution by, List<String> keys, List<String> args) {
        StoreId store = event.store();
        String source = event.source().value();
        String eventId = event instanceof Numbered n ? n.eventId() : "";
        if (by.idempotencySeconds() > 0) {
            keys.add(Keys.idempotency(store, source, eventId));
        }
        if (event instanceof ShelfEvent e) {
            header(args, "shelf", e, eventId, e.seq(), by);
            for (Reading r : e.readings()) {
                keys.add(Keys.bucket(store, r.gtin()));
                args.add(Keys.field(r.gtin()));
                args.add(Integer.toString(r.count()));
                args.add(Integer.toString(r.capacity()));
                args.add(r.location());
            }
        } else if (event instanceof FeedEvent e) {
            header(args, "feed", e, eventId, e.seq(), by);
            keys.add(Keys.bucket(store, e.gtin()));
            args.add(e.type().name());
            args.add(Keys.field(e.gtin()));
            args.add(Long.toString(e.bookEffect()));
        } else if (event instanceof ShelfCountEvent e) {
            header(args, "staffshelf", e, eventId, e.seq(), by);
            keys.add(Keys.bucket(store, e.gtin()));
            args.add(Keys.field(e.gtin()));
            args.add(Integer.toString(e.count()));
        } else if (event instanceof StatusEvent e) {
            header(args, "status", e, eventId, 0, by);
            args.add(e.online() ? "1" : "0");
            args.add(Integer.toString(e.heartbeatSeconds()));
        } else {
            throw new IllegalArgumentException("no way to apply " + event.getClass().getSimpleName());
        }
    }

    /**
     * A status applied may have turned a device on- or offline: this process's snapshot is dropped
     * before the apply completes, and the others are told (they drop theirs when the message comes).
     */
    private CompletionStage<ApplyResult> healthChanged(ApplyResult result, StoreId store) {
        if (result.outcome() != ApplyResult.Outcome.APPLIED) {
            return CompletableFuture.completedStage(result);
        }
        snapshots.invalidate(store);
        CompletionStage<Long> told = redis.publish(Keys.healthChanged(store), store.value());
        issued.run();
        return told.thenApply(n -> result);
    }

    private static void header(List<String> args, String kind, Event e, String eventId, long seq, Attribution by) {
        args.add(kind);
        args.add(e.source().value());
        args.add(eventId);
        args.add(Long.toString(seq));
        args.add(Long.toString(e.ts()));
        args.add(e.session());
        args.add(Long.toString(by.idempotencySeconds()));
        args.add(by.who());
    }

    /**
     * A runtime error inside the script (a bug, or state it cannot read) will fail again on every
     * retry: it is refused with {@code store.error} (and dead-lettered) instead of blocking ingest.
     * Anything else (unreachable, timeout, BUSY, OOM) is left to the caller to retry.
     */
    private static boolean scriptError(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        return cause instanceof io.lettuce.core.RedisCommandExecutionException
            && String.valueOf(cause.getMessage()).contains("user_script");
    }

    private static CompletionStage<List<ApplyResult>> failure(Throwable error) {
        return scriptError(error) ? CompletableFuture.completedStage(List.of(ApplyResult.rejected(RejectReason.STORE_ERROR)))
            : CompletableFuture.failedStage(error instanceof java.util.concurrent.CompletionException ce
                && ce.getCause() != null ? ce.getCause() : error);
    }

    /** The script's reply, or its refusal at the fence ({-1, run id}: nothing applied). */
    private static CompletionStage<List<ApplyResult>> replied(List<Object> reply, int events) {
        if (!reply.isEmpty() && ((Number) reply.get(0)).intValue() < 0) {
            return CompletableFuture.failedStage(new StoreFencedException((String) reply.get(1)));
        }
        return CompletableFuture.completedStage(results(reply, events));
    }

    /** The script's reply: per event, its length and then outcome, note, gtin, alerts, gtin, alerts... */
    private static List<ApplyResult> results(List<Object> reply, int events) {
        List<ApplyResult> out = new ArrayList<>(events);
        int at = 0;
        for (int i = 0; i < events; i++) {
            int length = ((Number) reply.get(at)).intValue();
            out.add(result(reply.subList(at + 1, at + 1 + length)));
            at += 1 + length;
        }
        return out;
    }

    private static ApplyResult result(List<Object> reply) {
        String outcome = (String) reply.get(0);
        List<ApplyResult.Change> changed = new ArrayList<>();
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            String alerts = (String) reply.get(i + 1);
            List<AlertType> types = alerts.isEmpty() ? List.of()
                : Arrays.stream(alerts.split(",")).map(AlertType::fromCode).toList();
            changed.add(new ApplyResult.Change(Keys.gtinOf((String) reply.get(i)).value(), types));
        }
        return switch (outcome) {
            case "applied" -> new ApplyResult(ApplyResult.Outcome.APPLIED, null, changed, bound(reply));
            case "duplicate" -> new ApplyResult(ApplyResult.Outcome.DUPLICATE, null, List.of());
            case "stale" -> new ApplyResult(ApplyResult.Outcome.STALE, null, List.of(), bound(reply));
            case "rejected" -> ApplyResult.rejected(RejectReason.fromCode((String) reply.get(1)));
            default -> throw new IllegalStateException("unexpected script outcome: " + outcome);
        };
    }

    /** The script's note that the source's ledger had to forget something to stay bounded. */
    private static boolean bound(List<Object> reply) {
        return "bound".equals(reply.get(1));
    }

    /**
     * One product with the health of the devices that reported it and its click-and-collect holds;
     * {@link ProductView#EMPTY} if never reported, {@link ProductView#UNKNOWN_STORE} if the store is not
     * registered. One {@code HMGET} of the product's bucket (its value and its held units, one near-cache
     * entry); the rest comes from the store's snapshot (a second round trip only when it is older than
     * {@link StoreSnapshots#MAX_AGE_MILLIS}, was dropped by a health change, or lacks a new device).
     */
    public CompletionStage<ProductView> read(StoreId store, Gtin gtin) {
        String bucket = Keys.bucket(store, gtin);
        return read(store, near != null ? near.hmget(bucket, Keys.productField(gtin), Keys.heldField(gtin))
            : RawOutputs.hmget(redis, bucket, Keys.productField(gtin), Keys.heldField(gtin)));
    }

    /**
     * {@link #read}, straight from Redis (never the near cache), with the product's stored value as it
     * was read: what a hold is judged on ({@link HoldStore}), whose script checks that it is still the same.
     */
    CompletionStage<Map.Entry<ProductView, byte[]>> readExact(StoreId store, Gtin gtin) {
        CompletionStage<List<byte[]>> both = RawOutputs.hmget(redis, Keys.bucket(store, gtin),
            Keys.productField(gtin), Keys.heldField(gtin));
        return read(store, both).thenCombine(both, (view, raw) -> new java.util.AbstractMap.SimpleImmutableEntry<>(
            view, raw.get(0)));
    }

    private CompletionStage<ProductView> read(StoreId store, CompletionStage<List<byte[]>> both) {
        return both.thenCombine(snapshots.get(store), (raw, snapshot) -> view(raw.get(0), raw.get(1), snapshot))
            .thenCompose(view -> view != null ? CompletableFuture.completedStage(view)
                : both.thenCompose(raw -> {  // a device new since the snapshot: take a new one
                    snapshots.invalidate(store);
                    return snapshots.get(store).thenApply(snapshot -> view(raw.get(0), raw.get(1), snapshot));
                }));
    }

    /** The view, or null when the value names a device the snapshot does not know yet. */
    private ProductView view(byte[] raw, byte[] held, StoreSnapshots.Snapshot snapshot) {
        if (raw == null) {
            return snapshot.known() ? ProductView.EMPTY : ProductView.UNKNOWN_STORE;
        }
        try {
            ProductState state = codec.product(raw, snapshot::device).withHeld(held(held));
            List<String> devices = new ArrayList<>(state.slots().size());
            state.slots().forEach(slot -> devices.add(slot.device()));
            return new ProductView(state, StoreSnapshots.asOfSnapshot(snapshot, devices, clock.getAsLong()));
        } catch (StateCodec.UnknownDevice e) {
            return null;
        }
    }

    private static HeldUnits held(byte[] text) {
        return text == null ? HeldUnits.NONE
            : HeldUnits.parse(new String(text, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * A bucket script's reply {field, value, ...} split: held fields ({@link Keys#isHeldField}) by the
     * product field they belong to, the products' fields in order.
     */
    private static Map<String, HeldUnits> heldOf(List<byte[]> reply) {
        Map<String, HeldUnits> out = new HashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            String field = new String(reply.get(i), java.nio.charset.StandardCharsets.US_ASCII);
            if (Keys.isHeldField(field)) {
                out.put(Keys.productFieldOfHeld(field), held(reply.get(i + 1)));
            }
        }
        return out;
    }

    /**
     * Every product in buckets {@code from} (inclusive) to {@code to} (exclusive) of a store, by GTIN, each
     * with the health of its devices as {@link #read} gives it (so a store-wide feed answers as the
     * lookups do). One script call ({@code products.lua}) per page; a caller pages through
     * {@code 0..}{@link Keys#BUCKETS} so that no single reply holds a whole large store.
     */
    public CompletionStage<java.util.SortedMap<String, ProductView>> products(StoreId store, int from, int to) {
        if (from < 0 || to > Keys.BUCKETS || from >= to) {
            throw new IllegalArgumentException("buckets must be a range within 0.." + Keys.BUCKETS);
        }
        CompletionStage<List<byte[]>> reply = products.runRaw(redis, Arrays.copyOfRange(Keys.buckets(store), from, to));
        return reply.thenCombine(snapshots.get(store), this::page)
            .thenCompose(page -> page != null ? CompletableFuture.completedStage(page)
                : reply.thenCompose(raw -> {  // a device new since the snapshot: take a new one
                    snapshots.invalidate(store);
                    return snapshots.get(store).thenApply(snapshot -> {
                        java.util.SortedMap<String, ProductView> again = page(raw, snapshot);
                        if (again == null) {
                            throw new IllegalStateException("a product of store " + store
                                + " names a device missing from its device table");
                        }
                        return again;
                    });
                }));
    }

    /** The page's views, or null when a value names a device the snapshot does not know yet. */
    private java.util.SortedMap<String, ProductView> page(List<byte[]> reply, StoreSnapshots.Snapshot snapshot) {
        java.util.SortedMap<String, ProductView> out = new java.util.TreeMap<>();
        long now = clock.getAsLong();
        Map<String, HeldUnits> held = heldOf(reply);
        try {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                String field = new String(reply.get(i), java.nio.charset.StandardCharsets.US_ASCII);
                if (Keys.isHeldField(field)) {
                    continue;
                }
                ProductState state = codec.product(reply.get(i + 1), snapshot::device)
                    .withHeld(held.getOrDefault(field, HeldUnits.NONE));
                List<String> devices = new ArrayList<>(state.slots().size());
                state.slots().forEach(slot -> devices.add(slot.device()));
                out.put(Keys.gtinOf(field).value(), new ProductView(state, StoreSnapshots.asOfSnapshot(snapshot, devices, now)));
            }
        } catch (StateCodec.UnknownDevice e) {
            return null;
        }
        return out;
    }

    /** Change-feed entries after {@code afterId} (exclusive), oldest first: {id, gtin}. */
    public CompletionStage<List<String[]>> changesAfter(StoreId store, String afterId, int count) {
        return redis.xrange(Keys.changes(store), io.lettuce.core.Range.create("(" + afterId, "+"),
                io.lettuce.core.Limit.from(count))
            .thenApply(list -> list.stream()
                .map(m -> new String[] {m.getId(), Keys.gtinOf(m.getBody().get("gtin")).value()}).toList());
    }

    /**
     * The oldest id a store's change feed still keeps, once the feed has been trimmed ("0-0" while it
     * has lost nothing): a client resuming from an older id may have missed changes no longer kept.
     */
    public CompletionStage<String> keptFrom(StoreId store) {
        return redis.xinfoStream(Keys.changes(store))
            .handle((info, error) -> {
                if (error != null || info == null) {
                    return "0-0";  // no feed yet
                }
                Map<String, Object> fields = new HashMap<>();
                for (int i = 0; i + 1 < info.size(); i += 2) {
                    fields.put(String.valueOf(info.get(i)), info.get(i + 1));
                }
                long added = ((Number) fields.getOrDefault("entries-added", 0L)).longValue();
                long length = ((Number) fields.getOrDefault("length", 0L)).longValue();
                Object first = fields.get("recorded-first-entry-id");
                return added > length && first != null ? String.valueOf(first) : "0-0";
            });
    }

    /** The newest change-feed id of a store ("0-0" if none yet). */
    public CompletionStage<String> lastChangeId(StoreId store) {
        return redis.xrevrange(Keys.changes(store), io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(1))
            .thenApply(list -> list.isEmpty() ? "0-0" : list.get(0).getId());
    }

    /** Products last settled empty or low, or flagged phantom, with the health of the store's devices. */
    public CompletionStage<Map<String, ProductView>> gapCandidates(StoreId store) {
        snapshots.invalidate(store);  // a store-wide list: its device table fresh, as the scan is
        return gaps.runRaw(redis, Keys.buckets(store)).thenCombine(snapshots.get(store), (reply, snapshot) ->
            Map.entry(reply, snapshot)).thenCombine(healthAll(store), (found, health) -> {
                Map<String, ProductView> out = new java.util.LinkedHashMap<>();
                List<byte[]> reply = found.getKey();
                Map<String, HeldUnits> held = heldOf(reply);
                for (int i = 0; i + 1 < reply.size(); i += 2) {
                    String field = new String(reply.get(i), java.nio.charset.StandardCharsets.US_ASCII);
                    if (!Keys.isHeldField(field)) {
                        out.put(Keys.gtinOf(field).value(), new ProductView(codec.product(reply.get(i + 1), found.getValue()::device)
                            .withHeld(held.getOrDefault(field, HeldUnits.NONE)), health));
                    }
                }
                return out;
            });
    }

    /** The health of every device of a store that was ever heard from. */
    public CompletionStage<Map<String, SourceHealth>> healthAll(StoreId store) {
        return redis.hgetall(Keys.health(store)).thenApply(m -> {
            Map<String, SourceHealth> out = new HashMap<>();
            m.forEach((device, csv) -> out.put(device, codec.health(csv)));
            return out;
        });
    }

    /** Sequence bookkeeping of every source of a store. */
    public CompletionStage<Map<String, SourceStats>> sourcesAll(StoreId store) {
        return redis.hgetall(Keys.sources(store)).thenApply(m -> {
            Map<String, SourceStats> out = new HashMap<>();
            m.forEach((device, csv) -> {
                if (!Keys.isSourceIdsField(device)) {
                    out.put(device, SourceStats.parse(csv));
                }
            });
            return out;
        });
    }

    public CompletionStage<SourceStats> sourceStats(StoreId store, String device) {
        return redis.hget(Keys.sources(store), device).thenApply(SourceStats::parse);
    }

    /**
     * Brings a store's products into today's layout ({@code buckets.lua}): out of the 1,024 buckets of
     * versions before the packed value into today's {@link Keys#BUCKETS}, and from their 14-digit field
     * to {@link Keys#field}; idempotent, one atomic script per store. Returns how many products moved.
     */
    public CompletionStage<Long> migrateLayout(StoreId store) {
        return buckets.run(redis, Keys.oldBuckets(store)).thenApply(r -> (Long) r.get(0));
    }

    /** Overrides the store's low-stock threshold for one product (null clears it); applies from the next event. */
    public CompletionStage<Void> setLowStockUnits(StoreId store, Gtin gtin, Integer units) {
        String bucket = Keys.bucket(store, gtin);
        return threshold.run(redis, new String[] {bucket, Keys.devix(store)}, Keys.field(gtin),
            Integer.toString(units == null ? -1 : units)).thenApply(r -> {
                if (near != null) {
                    near.changed(List.of(bucket));
                }
                return null;
            });
    }

    /** A refused message: kept in its store's dead letters, or the global ones ({@link DeadLetters}). */
    @Override
    public CompletionStage<Void> deadLetter(DeadLetter letter) {
        return deadLetters.add(letter).thenApply(store -> null);
    }
}
