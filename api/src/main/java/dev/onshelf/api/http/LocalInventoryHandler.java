package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.ProductView;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.feed.LocalInventory;
import dev.onshelf.core.feed.Pickup;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.LongSupplier;

/**
 * Google's local inventory feed: {@code GET /v1/stores/{store}/local-inventory} and, for every registered
 * store, {@code GET /v1/local-inventory}. Each row is the store's public answer for one product
 * ({@link LocalInventory}), so the feed says what the lookups say. Streamed: a store's products are read
 * {@link #PAGE} buckets at a time (one script call each, asynchronously) and each page is written as it
 * comes, waiting for the client to drain when its write queue is full; a store of 10,000 products is
 * never one string in memory. Once the first bytes are out a failure can no longer be a problem
 * answer: the connection is reset, so a client never takes a cut-off feed for a whole one.
 */
final class LocalInventoryHandler {
    /** Buckets per read: ~40 products each in a store of 10,000. */
    static final int PAGE = 16;
    private final RedisAvailabilityStore store;
    private final RegistryStore registry;
    private final AvailabilityRules rules;
    private final LongSupplier clock;
    private final boolean counts;

    LocalInventoryHandler(RedisAvailabilityStore store, RegistryStore registry, AvailabilityRules rules,
                          LongSupplier clock, boolean counts) {
        this.store = store;
        this.registry = registry;
        this.rules = rules;
        this.clock = clock;
        this.counts = counts;
    }

    /** A request's choices: the format and what to do with unknown answers. */
    private record Ask(LocalInventoryFormat format, LocalInventory.Unknown unknown) {
    }

    private static Ask ask(RoutingContext ctx) {
        String unknown = ctx.request().getParam("unknown");
        return new Ask(LocalInventoryFormat.choose(ctx.request().getParam("format"), ctx.parsedHeaders().accept()),
            unknown == null ? LocalInventory.Unknown.OUT_OF_STOCK : LocalInventory.Unknown.parse(unknown));
    }

    /** One store's feed; 404 when it is not registered. */
    void store(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        Ask ask = ask(ctx);
        Feed feed = new Feed(ctx, ask);
        Future.fromCompletionStage(registry.store(storeId), ctx.vertx().getOrCreateContext())
            .compose(found -> found.isEmpty() ? Future.failedFuture(ProblemException.unknownStore(storeId))
                : feed.begin().compose(v -> feed.store(storeId, pickup(found.get()))))
            .compose(v -> feed.finish())
            .onFailure(error -> failed(ctx, error));
    }

    /** A client that went away mid-feed is no failure; anything else is a problem, or a reset once streaming. */
    private static void failed(RoutingContext ctx, Throwable error) {
        if (!ctx.response().closed()) {
            ctx.fail(error);
        }
    }

    /** Every registered store's feed, stores by code. */
    void all(RoutingContext ctx) {
        Ask ask = ask(ctx);
        Feed feed = new Feed(ctx, ask);
        Future.fromCompletionStage(registry.stores(), ctx.vertx().getOrCreateContext())
            .compose(ids -> feed.begin().compose(v -> eachStore(ctx, feed, ids.stream().sorted().iterator())))
            .compose(v -> feed.finish())
            .onFailure(error -> failed(ctx, error));
    }

    private Future<Void> eachStore(RoutingContext ctx, Feed feed, Iterator<String> ids) {
        if (!ids.hasNext() || feed.gone()) {
            return Future.succeededFuture();
        }
        StoreId id = new StoreId(ids.next());
        return Future.fromCompletionStage(registry.store(id), ctx.vertx().getOrCreateContext())
            .compose(found -> found.isEmpty() ? Future.succeededFuture()  // removed meanwhile
                : feed.store(id, pickup(found.get())))
            .compose(v -> eachStore(ctx, feed, ids));
    }

    private static Pickup pickup(Map<String, String> registration) {
        return Pickup.stored(registration.get("pickupMethod"), registration.get("pickupSla"));
    }

    /** One response being written. */
    private final class Feed {
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        private final Ask ask;
        private boolean first = true;

        Feed(RoutingContext ctx, Ask ask) {
            this.ctx = ctx;
            this.response = ctx.response();
            this.ask = ask;
        }

        boolean gone() {
            return response.closed() || response.ended();
        }

        Future<Void> begin() {
            response.setChunked(true)
                .putHeader("Content-Type", ask.format().contentType())
                .putHeader("Cache-Control", "public, max-age=1")
                .putHeader("Vary", "Accept");
            return write(ask.format().start(counts));
        }

        Future<Void> finish() {
            if (gone()) {
                return Future.succeededFuture();
            }
            return response.end(ask.format().end());
        }

        Future<Void> store(StoreId id, Pickup pickup) {
            return pages(id, pickup, 0);
        }

        private Future<Void> pages(StoreId id, Pickup pickup, int from) {
            if (from >= Keys.BUCKETS || gone()) {
                return Future.succeededFuture();
            }
            int to = Math.min(Keys.BUCKETS, from + PAGE);
            return Future.fromCompletionStage(store.products(id, from, to), ctx.vertx().getOrCreateContext())
                .compose(page -> write(rows(id, pickup, page)))
                .compose(v -> pages(id, pickup, to));
        }

        private Buffer rows(StoreId id, Pickup pickup, SortedMap<String, ProductView> page) {
            Buffer out = Buffer.buffer(page.size() * 48);
            long now = clock.getAsLong();
            page.forEach((gtin, view) -> LocalInventory.row(id, Gtin.parse(gtin),
                    rules.evaluate(view.state(), view.health(), now), counts, pickup, ask.unknown())
                .ifPresent(row -> {
                    ask.format().row(out, row, counts, first);
                    first = false;
                }));
            return out;
        }

        /** Writes, then waits for the client to drain if its queue is full (back-pressure). */
        private Future<Void> write(Buffer chunk) {
            if (gone()) {
                return Future.succeededFuture();
            }
            Future<Void> written = chunk.length() == 0 ? Future.succeededFuture() : response.write(chunk);
            if (!response.writeQueueFull()) {
                return written;
            }
            Promise<Void> drained = Promise.promise();
            response.drainHandler(v -> drained.tryComplete());
            response.closeHandler(v -> drained.tryComplete());
            return written.compose(v -> drained.future());
        }
    }
}
