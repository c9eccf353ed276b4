package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code GET /v1/stores/{store}/changes[?gtins=a,b]}: Server-Sent Events of availability changes in
 * a store, each with the store's change-feed id as its {@code id:}. A client that reconnects with
 * {@code Last-Event-ID} receives what it missed (the feed keeps the last ~1,000 changes of a store,
 * {@code ONSHELF_CHANGE_FEED_MAX}).
 * A page showing "back in stock" filters on its products. Streams are bounded per process (past that,
 * 503), and per client per process ({@link ClientIdentity}: an issued API key, else the address or IPv6
 * /64; past that, 429); both bounds are shared by every event loop.
 */
final class ChangesHandler {
    private static final long POLL_MS = 200;
    /** The one "client" of the process-wide bound. */
    private static final String ALL = "*";
    private static final long KEEPALIVE_MS = 15_000;
    private final RedisAvailabilityStore store;
    private final RegistryStore registry;
    private final AvailabilityRules rules;
    private final LongSupplier clock;
    private final ClientQuota total;
    private final ClientQuota perClient;
    private final ClientIdentity identity;
    private final boolean counts;

    /** {@code counts}: whether the events carry exact unit counts (ONSHELF_PUBLIC_COUNTS). */
    ChangesHandler(RedisAvailabilityStore store, RegistryStore registry, AvailabilityRules rules, LongSupplier clock,
                   ClientQuota total, ClientQuota perClient, ClientIdentity identity, boolean counts) {
        this.perClient = perClient;
        this.identity = identity;
        this.counts = counts;
        this.store = store;
        this.registry = registry;
        this.rules = rules;
        this.clock = clock;
        this.total = total;
    }

    void stream(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        Set<String> only = new HashSet<>();
        QueryParams.optionalList("gtins", ctx.request().getParam("gtins"), Gtin::parse).forEach(g -> only.add(g.value()));
        String header = ctx.request().getHeader("Last-Event-ID");
        String resume = QueryParams.changeId(header != null ? header : ctx.request().getParam("lastEventId"));
        String client = identity.of(ctx).id();
        if (!perClient.tryAcquire(client)) {
            throw new ProblemException(429, "http:streams.too_many", "Too many requests",
                "this client already has " + perClient.max() + " change streams open (ONSHELF_SSE_STREAMS_PER_CLIENT)");
        }
        if (!total.tryAcquire(ALL)) {
            perClient.release(client);
            throw ProblemException.unavailable("too many change streams on this server; retry shortly");
        }
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable release = () -> {  // exactly once, whichever way the stream ends
            if (counted.getAndSet(false)) {
                total.release(ALL);
                perClient.release(client);
            }
        };
        boolean[] truncated = {false};
        Future<String> start = Future.fromCompletionStage(registry.store(storeId), ctx.vertx().getOrCreateContext())
            .compose(found -> found.isPresent() ? Future.succeededFuture()
                : Future.failedFuture(ProblemException.unknownStore(storeId)))
            .compose(known -> resume != null
            ? Future.fromCompletionStage(store.keptFrom(storeId), ctx.vertx().getOrCreateContext()).map(kept -> {
                truncated[0] = compare(resume, kept) < 0;  // may be a change short of it: then a harmless re-read
                return resume;
            })
            : Future.fromCompletionStage(store.lastChangeId(storeId), ctx.vertx().getOrCreateContext()));
        start.onFailure(e -> {
            release.run();
            ctx.fail(e);
        }).onSuccess(from -> {
            if (ctx.response().closed() || ctx.response().headWritten()) {
                release.run();  // the client left, or the request timed out, while we looked the store up
                return;
            }
            LoadShedder.release(ctx);  // (the request timeout leaves a response that has started alone)
            HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
            response.write(": change stream of store " + storeId + "\n\n");
            if (truncated[0]) {  // what the client missed is partly gone: tell it to re-read what it follows
                response.write(RESET);
            }
            Poller poller = new Poller(ctx, storeId, only, from);
            long poll = ctx.vertx().setPeriodic(POLL_MS, t -> poller.poll());
            long keepAlive = ctx.vertx().setPeriodic(KEEPALIVE_MS, t -> response.write(": keep-alive\n\n"));
            response.closeHandler(v -> {
                ctx.vertx().cancelTimer(poll);
                ctx.vertx().cancelTimer(keepAlive);
                release.run();
            });
        });
    }

    private static final int MAX_REMEMBERED = 10_000;
    private static final int BATCH = 200;
    private static final String RESET = "event: reset\ndata: {\"reason\": \"history.truncated\"}\n\n";

    /** Orders stream ids "ms-seq". */
    static int compare(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x.length > 1 ? x[1] : "0"), Long.parseLong(y.length > 1 ? y[1] : "0"));
    }

    /** One stream's cursor; polls run one at a time. */
    private final class Poller {
        private final RoutingContext ctx;
        private final StoreId storeId;
        private final Set<String> only;
        private String cursor;
        private boolean busy;
        private boolean catchingUp;
        /** The last answer sent per product on this stream (bounded). */
        private final Map<String, String> sent = new java.util.HashMap<>();

        Poller(RoutingContext ctx, StoreId storeId, Set<String> only, String cursor) {
            this.ctx = ctx;
            this.storeId = storeId;
            this.only = only;
            this.cursor = cursor;
        }

        void poll() {
            if (busy || ctx.response().closed()) {
                return;
            }
            busy = true;
            // catching up (the last batch was full) while the feed is trimmed may lose what is behind us
            Future<Void> checked = !catchingUp ? Future.succeededFuture()
                : Future.fromCompletionStage(store.keptFrom(storeId), ctx.vertx().getOrCreateContext()).map(kept -> {
                    if (compare(cursor, kept) < 0 && !ctx.response().closed()) {
                        ctx.response().write(RESET);
                    }
                    return null;
                });
            checked.compose(v -> Future.fromCompletionStage(store.changesAfter(storeId, cursor, BATCH),
                    ctx.vertx().getOrCreateContext()))
                .compose(changes -> {
                    catchingUp = changes.size() == BATCH;
                    return send(changes);
                })
                .onComplete(ar -> busy = false);
        }

        /**
         * Sends the current answer of each product that changed, once per batch (at the id of its last
         * change in the batch) and only if it differs from what this stream last sent for it: a
         * resumed client catches up to now without a burst of repeats.
         */
        private Future<Void> send(List<String[]> changes) {
            Map<String, String> lastIdOf = new LinkedHashMap<>();
            for (String[] change : changes) {
                if (only.isEmpty() || only.contains(change[1])) {
                    lastIdOf.remove(change[1]);
                    lastIdOf.put(change[1], change[0]);  // re-inserted: ordered by last change
                }
            }
            Future<Void> chain = Future.succeededFuture();
            for (Map.Entry<String, String> e : lastIdOf.entrySet()) {
                String gtin = e.getKey();
                String id = e.getValue();
                chain = chain.compose(v -> Future.fromCompletionStage(store.read(storeId, new Gtin(gtin)),
                        ctx.vertx().getOrCreateContext())
                    .map(view -> {
                        String json = AvailabilityJson.forPublic(storeId, new Gtin(gtin), rules.evaluate(view.state(),
                            view.health(), clock.getAsLong()), counts).encode();
                        if (!ctx.response().closed() && !json.equals(sent.get(gtin))) {
                            ctx.response().write("id: " + id + "\nevent: availability\ndata: " + json + "\n\n");
                            if (sent.size() >= MAX_REMEMBERED) {
                                sent.clear();
                            }
                            sent.put(gtin, json);
                        }
                        cursor = id;
                        return null;
                    }));
            }
            if (!changes.isEmpty()) {
                String last = changes.get(changes.size() - 1)[0];
                chain = chain.map(v -> {
                    cursor = last;
                    return null;
                });
            }
            return chain;
        }
    }
}
