package dev.onshelf.api.staff;

import dev.onshelf.aggregator.redis.ProductView;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.aggregator.redis.SourceStats;
import dev.onshelf.api.http.AvailabilityJson;
import dev.onshelf.api.http.ProductNames;
import dev.onshelf.api.http.ProblemException;
import dev.onshelf.api.http.Requests;
import dev.onshelf.core.availability.Availability;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Store staff with handheld scanners: the gap list (what to restock first), scan-and-correct counts
 * (written through the one pipeline every device's event takes, {@link Writes}), and the device
 * fleet's health.
 */
public final class StaffHandler {
    /** Seq 0: the store numbers the handheld's events itself, so two counts never collide. */
    private static final long STORE_NUMBERS_IT = 0;
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private final RedisAvailabilityStore store;
    private final Writes writes;
    private final RegistryStore registry;
    private final AvailabilityRules rules;
    private final LongSupplier clock;
    private final ProductNames names;

    public StaffHandler(RedisAvailabilityStore store, Writes writes, RegistryStore registry, AvailabilityRules rules,
                        LongSupplier clock, ProductNames names) {
        this.names = names;
        this.store = store;
        this.writes = writes;
        this.registry = registry;
        this.rules = rules;
        this.clock = clock;
    }

    private static <T> Future<T> on(RoutingContext ctx, java.util.concurrent.CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    /** {@code GET /v1/staff/stores/{store}/gaps}: phantom stock and empty shelves first, then low ones. */
    public void gaps(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        long now = clock.getAsLong();
        on(ctx, store.gapCandidates(storeId)).compose(candidates -> {
            record Gap(String kind, int rank, JsonObject json, long book) {
            }
            List<Gap> gaps = new ArrayList<>();
            for (Map.Entry<String, ProductView> e : candidates.entrySet()) {
                Availability a = rules.evaluate(e.getValue().state(), e.getValue().health(), now);
                // a gap is the shelf's itself: units held for click-and-collect are still on it
                Availability shelf = a.held() == 0 ? a : rules.evaluate(
                    e.getValue().state().withHeld(dev.onshelf.core.availability.HeldUnits.NONE), e.getValue().health(), now);
                String kind = shelf.phantom() ? "phantom"
                    : Boolean.FALSE.equals(shelf.onShelf()) && shelf.shelfFresh() ? "empty"
                    : shelf.availability() == ItemAvailability.LimitedAvailability && shelf.shelfFresh() ? "low" : null;
                if (kind != null) {
                    JsonObject json = AvailabilityJson.of(storeId, new Gtin(e.getKey()), a).put("gap", kind)
                        .put("locations", locations(e.getValue()));
                    gaps.add(new Gap(kind, kind.equals("low") ? 2 : kind.equals("empty") ? 1 : 0, json,
                        a.bookCount() == null ? 0 : a.bookCount()));
                }
            }
            gaps.sort(Comparator.comparingInt(Gap::rank).thenComparing(Comparator.comparingLong(Gap::book).reversed()));
            return names.named(ctx.vertx().getOrCreateContext(), gaps.stream().map(Gap::json).toList());
        }).onSuccess(named -> ctx.json(new JsonObject().put("storeId", storeId.value())
            .put("items", new JsonArray(named)))).onFailure(ctx::fail);
    }

    /**
     * {@code GET /v1/staff/stores/{store}/products/{gtin}}: one product's whole answer, exact shelf and
     * book counts included whatever the public answers show (ONSHELF_PUBLIC_COUNTS).
     */
    public void product(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        on(ctx, store.read(storeId, gtin))
            .compose(view -> view.storeKnown() ? Future.succeededFuture(view)
                : Future.failedFuture(ProblemException.unknownStore(storeId)))
            .compose(view -> names.named(ctx.vertx().getOrCreateContext(), AvailabilityJson.of(storeId, gtin,
                rules.evaluate(view.state(), view.health(), clock.getAsLong()))))
            .onSuccess(ctx::json)
            .onFailure(ctx::fail);
    }

    /**
     * {@code POST /v1/staff/stores/{store}/counts} {gtin, qty?, shelfQty?}: a handheld's count, through
     * the same pipeline as every device's event. {@code qty} is the stock count (a COUNT event on the
     * books); {@code shelfQty} the units seen on the shelf, which stand for the whole shelf until a
     * sensor reports something newer. At least one of them. The {@code Idempotency-Key} header makes a
     * retry change nothing (200 instead of 201); the token's subject is recorded as who counted.
     */
    public void count(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        JsonObject body = Requests.jsonObjectOrNull(ctx);
        if (body == null || !(body.getValue("gtin") instanceof String raw)) {
            throw ProblemException.badRequest("request:body.invalid",
                "the body must be {\"gtin\": \"...\", \"qty\": n, \"shelfQty\": n} with qty, shelfQty or both");
        }
        Gtin gtin = Gtin.parse(raw);
        Long qty = units(body, "qty");
        Long shelfQty = units(body, "shelfQty");
        if (qty == null && shelfQty == null) {
            throw ProblemException.badRequest("request:qty.missing",
                "send qty (the stock count), shelfQty (the units on the shelf) or both");
        }
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && !KEY.matcher(key).matches()) {
            throw ProblemException.badRequest("request:idempotency_key.invalid",
                "Idempotency-Key must be 1 to 100 of A-Z, a-z, 0-9, '_', '.', ':' and '-'");
        }
        String who = String.valueOf((Object) ctx.get(StaffAuth.SUBJECT));
        // a key is the handheld's own: scoped by who sent it, so two people's keys never meet
        String id = key != null ? who + ":" + key : UUID.randomUUID().toString();
        long now = clock.getAsLong();
        DeviceId handheld = handheld(storeId);
        Attribution by = Attribution.person(who);
        Future<ApplyResult> applied = on(ctx, registry.putDevice(storeId, handheld, DeviceKind.FEED))
            .map(x -> (ApplyResult) null);
        if (qty != null) {
            applied = applied.compose(x -> on(ctx, writes.submit(new FeedEvent(storeId, handheld,
                "staff-qty-" + id, STORE_NUMBERS_IT, now, EventType.COUNT, gtin, qty), by)));
        }
        if (shelfQty != null) {
            applied = applied.compose(r -> r != null && r.outcome() == ApplyResult.Outcome.REJECTED
                ? Future.succeededFuture(r)
                : on(ctx, writes.submit(new ShelfCountEvent(storeId, handheld, "staff-shelf-" + id,
                    STORE_NUMBERS_IT, now, gtin, shelfQty.intValue()), by))
                    .map(s -> r == null || r.outcome() == ApplyResult.Outcome.DUPLICATE ? s : r));
        }
        applied
            .compose(r -> r.outcome() == ApplyResult.Outcome.REJECTED ? Future.failedFuture(refusal(r, storeId))
                : on(ctx, store.read(storeId, gtin)).map(view -> Map.entry(r, view)))
            .compose(done -> names.named(ctx.vertx().getOrCreateContext(), AvailabilityJson.of(storeId, gtin,
                    rules.evaluate(done.getValue().state(), done.getValue().health(), clock.getAsLong()))
                    .put("countedBy", who))
                .map(json -> Map.entry(done.getKey(), json)))
            .onSuccess(done -> ctx.response()
                .setStatusCode(done.getKey().outcome() == ApplyResult.Outcome.DUPLICATE ? 200 : 201)
                .putHeader("Content-Type", "application/json")
                .end(done.getValue().encode()))
            .onFailure(ctx::fail);
    }

    /** Where the product sits: the shelf locations its sensors report, in order, each once. */
    private static JsonArray locations(ProductView view) {
        return new JsonArray(view.state().slots().stream().map(dev.onshelf.core.availability.Slot::location)
            .filter(l -> l != null && !l.isEmpty() && !"shelf".equals(l)).distinct().sorted().toList());
    }

    private static ProblemException refusal(ApplyResult r, StoreId storeId) {
        return switch (r.reason()) {
            case STORE_UNKNOWN -> ProblemException.unknownStore(storeId);
            case IDEMPOTENCY_MISMATCH -> new ProblemException(422, "request:idempotency_key.reused",
                "Idempotency key reused", "this Idempotency-Key was used for a different count; a retry must "
                    + "send the same count, a new count needs a new key");
            default -> new ProblemException(409, "staff:count.refused", "Count refused",
                "the store refused the count (" + r.reason().code() + ")");
        };
    }

    /**
     * The source under which a store's handheld counts (and collected holds' sales) are applied: the
     * internal id {@code ~handheld} in every store (a device is (store, id), so the store scopes it; no
     * device can be named so, so none shares its ledger or health). Until 2026-11-29 it was a device
     * named {@code hh-<store>}, which a real device of that name shared.
     */
    public static DeviceId handheld(StoreId store) {
        return HANDHELD;
    }

    private static final DeviceId HANDHELD = DeviceId.internal("handheld");

    private static Long units(JsonObject body, String field) {
        if (!body.containsKey(field)) {
            return null;
        }
        if (!Requests.isUnits(body.getValue(field))) {
            throw ProblemException.badRequest("request:" + field + ".invalid",
                field + " must be an integer from 0 to " + Requests.MAX_UNITS);
        }
        return body.getLong(field);
    }


    /** {@code GET /v1/staff/stores/{store}/devices}: each device's state, last seen and sequence gaps. */
    public void devices(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        long now = clock.getAsLong();
        Future<Map<String, String>> devices = on(ctx, registry.devices(storeId));
        Future<Map<String, SourceHealth>> health = on(ctx, store.healthAll(storeId));
        Future<Map<String, SourceStats>> sources = on(ctx, store.sourcesAll(storeId));
        Future.all(devices, health, sources).onSuccess(all -> {
            JsonArray items = new JsonArray();
            devices.result().keySet().stream().sorted().forEach(id -> {
                SourceHealth h = health.result().get(id);
                SourceStats s = sources.result().getOrDefault(id, SourceStats.NONE);
                String state = h == null ? "unknown" : !h.online() ? "offline"
                    : h.stale(now, rules.policy().missedHeartbeats()) ? "stale" : "online";
                String lastSeen = h == null || h.lastSeen() == 0 ? null : Instant.ofEpochMilli(h.lastSeen()).toString();
                boolean epcis = id.equals(dev.onshelf.core.epcis.EpcisCapture.source(storeId).value());
                if (epcis || id.equals(handheld(storeId).value())) {  // counts and partners' events: no sequence
                    items.add(new JsonObject().put("deviceId", id).put("kind", epcis ? "epcis" : "handheld")
                        .put("state", "online")
                        .put("lastSeen", lastSeen).put("heartbeatSeconds", null).put("highestSeq", null)
                        .put("sequenceGaps", null).put("restarts", null).put("forgotten", null));
                    return;
                }
                items.add(new JsonObject().put("deviceId", id).put("kind", devices.result().get(id)).put("state", state)
                    .put("lastSeen", lastSeen)
                    .put("heartbeatSeconds", h == null ? null : h.heartbeatSeconds())
                    .put("highestSeq", s.highestSeq()).put("sequenceGaps", s.gaps()).put("restarts", s.restarts())
                    .put("forgotten", s.forgotten()));
            });
            ctx.json(new JsonObject().put("storeId", storeId.value()).put("items", items));
        }).onFailure(ctx::fail);
    }
}
