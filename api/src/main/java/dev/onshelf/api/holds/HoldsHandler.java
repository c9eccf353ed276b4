package dev.onshelf.api.holds;

import dev.onshelf.aggregator.redis.HoldStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.api.http.ProblemException;
import dev.onshelf.api.http.ProductNames;
import dev.onshelf.api.http.Requests;
import dev.onshelf.api.staff.StaffAuth;
import dev.onshelf.api.staff.StaffHandler;
import dev.onshelf.core.holds.Hold;
import dev.onshelf.core.holds.HoldOutcome;
import dev.onshelf.core.holds.HoldRequest;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Click-and-collect holds: a shopper holds units (atomically against what is salable, {@link HoldStore}),
 * looks the hold up or releases it; staff collect it (a SALE through the one write pipeline,
 * {@link Writes}, whose event id is derived from the hold's, so it sells once) and see the store's pick list.
 */
public final class HoldsHandler {
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final long STORE_NUMBERS_IT = 0;
    private final HoldStore holds;
    private final Writes writes;
    private final RegistryStore registry;
    private final LongSupplier clock;
    private final ProductNames names;
    private final boolean counts;

    public HoldsHandler(HoldStore holds, Writes writes, RegistryStore registry, LongSupplier clock,
                        ProductNames names, boolean counts) {
        this.holds = holds;
        this.writes = writes;
        this.registry = registry;
        this.clock = clock;
        this.names = names;
        this.counts = counts;
    }

    private static <T> Future<T> on(RoutingContext ctx, CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    /** {@code POST /v1/stores/{store}/holds} {gtin, qty, ttlSeconds} with an {@code Idempotency-Key}. */
    public void create(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key == null) {
            throw ProblemException.badRequest("request:Idempotency-Key.missing",
                "a hold needs an Idempotency-Key header (a random id of the client's, e.g. a UUID), so that a retry "
                    + "holds nothing twice");
        }
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badRequest("request:idempotency_key.invalid",
                "Idempotency-Key must be 1 to 100 of A-Z, a-z, 0-9, '_', '.', ':' and '-'");
        }
        HoldRequest request = request(Requests.jsonObjectOrNull(ctx));
        on(ctx, holds.create(storeId, request, key, UUID.randomUUID().toString(), clock.getAsLong()))
            .compose(outcome -> switch (outcome.kind()) {
                case CREATED, REPLAYED -> named(ctx, json(outcome.hold()))
                    .map(json -> {
                        ctx.response().setStatusCode(outcome.kind() == HoldOutcome.Kind.CREATED ? 201 : 200)
                            .putHeader("Location", "/v1/stores/" + storeId + "/holds/" + outcome.hold().id());
                        return json;
                    });
                default -> Future.failedFuture(refusal(outcome, storeId, request));
            })
            .onSuccess(json -> send(ctx, json))
            .onFailure(ctx::fail);
    }

    /** {@code GET /v1/stores/{store}/holds/{id}}: a running or collected hold; 404 otherwise. */
    public void get(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        String id = ctx.pathParam("id");
        on(ctx, holds.get(storeId, id, clock.getAsLong()))
            .compose(found -> found.isPresent() ? named(ctx, json(found.get())) : Future.failedFuture(unknown(id)))
            .onSuccess(json -> send(ctx, json))
            .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/stores/{store}/holds/{id}}: releases a running hold (its units salable again). */
    public void release(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        String id = ctx.pathParam("id");
        on(ctx, holds.end(storeId, id, false, clock.getAsLong()))
            .onSuccess(ended -> {
                if (ended.isEmpty()) {
                    ctx.fail(unknown(id));
                } else {
                    ctx.response().setStatusCode(204).end();
                }
            })
            .onFailure(ctx::fail);
    }

    /**
     * {@code POST /v1/stores/{store}/holds/{id}/collect} (staff): the hold's units are sold, a SALE
     * through the pipeline under the store's handheld with the event id {@code hold:<id>}, then the hold
     * ends. A collect repeated (or two at once) sells once: the same event id is a duplicate, and a
     * collected hold answers as collected for a day.
     */
    public void collect(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        String id = ctx.pathParam("id");
        String who = String.valueOf((Object) ctx.get(StaffAuth.SUBJECT));
        long now = clock.getAsLong();
        on(ctx, holds.get(storeId, id, now)).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(unknown(id));
            }
            Hold hold = found.get();
            if (hold.collected()) {
                return Future.succeededFuture(json(hold).put("sale", "duplicate"));
            }
            DeviceId handheld = StaffHandler.handheld(storeId);
            return on(ctx, registry.putDevice(storeId, handheld, DeviceKind.FEED))
                .compose(x -> on(ctx, writes.submit(new FeedEvent(storeId, handheld, HoldRequest.saleEventId(id),
                    STORE_NUMBERS_IT, now, EventType.SALE, hold.gtin(), hold.qty()), Attribution.person(who))))
                .compose(r -> {
                    // the event id is the hold's: the same id sent by another person is the same sale
                    boolean sold = r.outcome() != ApplyResult.Outcome.REJECTED
                        || r.reason() == dev.onshelf.core.model.RejectReason.IDEMPOTENCY_MISMATCH;
                    if (!sold) {
                        return Future.failedFuture(new ProblemException(409, "holds:collect.refused",
                            "Collect refused", "the store refused the sale (" + r.reason().code() + ")"));
                    }
                    String sale = r.outcome() == ApplyResult.Outcome.APPLIED ? "applied"
                        : r.outcome() == ApplyResult.Outcome.STALE ? "stale" : "duplicate";
                    return on(ctx, holds.end(storeId, id, true, clock.getAsLong()))
                        .map(ended -> json(hold.asCollected()).put("sale", sale));
                });
        })
            .compose(json -> named(ctx, json))
            .onSuccess(json -> send(ctx, json.put("collectedBy", who)))
            .onFailure(ctx::fail);
    }

    /** {@code GET /v1/staff/stores/{store}/holds}: the running holds to pick, soonest to expire first. */
    public void pickList(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        on(ctx, registry.store(storeId))
            .compose(found -> found.isEmpty() ? Future.failedFuture(ProblemException.unknownStore(storeId))
                : on(ctx, holds.running(storeId, clock.getAsLong())))
            .compose(running -> names.named(ctx.vertx().getOrCreateContext(),
                running.stream().map(HoldsHandler::json).toList()))
            .onSuccess(items -> send(ctx, new JsonObject().put("storeId", storeId.value())
                .put("items", new JsonArray(items))))
            .onFailure(ctx::fail);
    }

    private Future<JsonObject> named(RoutingContext ctx, JsonObject json) {
        return names.named(ctx.vertx().getOrCreateContext(), json);
    }

    /** The body, validated (the OpenAPI schema says the same; this holds without it). */
    static HoldRequest request(JsonObject body) {
        if (body == null || !(body.getValue("gtin") instanceof String raw)) {
            throw ProblemException.badRequest("request:body.invalid",
                "the body must be {\"gtin\": \"...\", \"qty\": n, \"ttlSeconds\": n}");
        }
        Gtin gtin = Gtin.parse(raw);
        Object qty = body.getValue("qty");
        if (!(qty instanceof Integer || qty instanceof Long) || ((Number) qty).longValue() < 1
            || ((Number) qty).longValue() > HoldRequest.MAX_QTY) {
            throw ProblemException.badRequest("request:qty.invalid",
                "qty must be an integer from 1 to " + HoldRequest.MAX_QTY);
        }
        Object ttl = body.getValue("ttlSeconds");
        if (!(ttl instanceof Integer || ttl instanceof Long) || ((Number) ttl).longValue() < 1
            || ((Number) ttl).longValue() > HoldRequest.MAX_TTL_SECONDS) {
            throw ProblemException.badRequest("request:ttlSeconds.invalid",
                "ttlSeconds must be an integer from 1 to " + HoldRequest.MAX_TTL_SECONDS);
        }
        return new HoldRequest(gtin, ((Number) qty).intValue(), ((Number) ttl).intValue());
    }

    private ProblemException refusal(HoldOutcome outcome, StoreId storeId, HoldRequest request) {
        return switch (outcome.kind()) {
            case STORE_UNKNOWN -> ProblemException.unknownStore(storeId);
            case INSUFFICIENT -> counts
                ? new ProblemException(409, "holds:insufficient", "Not enough units", "asked to hold "
                    + request.qty() + ", salable now: " + outcome.salable()).with("salable", outcome.salable())
                : new ProblemException(409, "holds:insufficient", "Not enough units", "asked to hold "
                    + request.qty() + ", fewer are salable now");
            case SHELF_UNKNOWN -> new ProblemException(409, "holds:shelf.unknown", "Shelf not known",
                "no fresh shelf reading vouches for product " + request.gtin() + " in store " + storeId
                    + " now, so no units can be promised (the book stock counts the backroom too)");
            case KEY_MISMATCH -> new ProblemException(422, "holds:idempotency_key.reused", "Idempotency key reused",
                "this Idempotency-Key was used for a different hold; a retry must send the same body, a new hold "
                    + "needs a new key");
            case TOO_MANY -> new ProblemException(409, "holds:too_many", "Too many holds",
                "the product has " + HoldRequest.MAX_HOLDS_PER_PRODUCT + " holds running in this store");
            case BUSY -> ProblemException.unavailable("the product kept changing while the hold was judged; retry");
            case CREATED, REPLAYED -> throw new IllegalStateException("not a refusal: " + outcome.kind());
        };
    }

    private static ProblemException unknown(String id) {
        return new ProblemException(404, "holds:hold.unknown", "Unknown hold",
            "no running or collected hold " + id + " in this store (never made, released, or run out)");
    }

    static JsonObject json(Hold hold) {
        return new JsonObject().put("id", hold.id()).put("storeId", hold.store().value())
            .put("gtin", hold.gtin().value()).put("qty", hold.qty())
            .put("state", hold.collected() ? "collected" : "held")
            .put("expiresAt", Instant.ofEpochMilli(hold.expiresAt()).toString())
            .put("createdAt", Instant.ofEpochMilli(hold.createdAt()).toString());
    }

    /** A hold is one shopper's: never kept by a shared cache. */
    private static void send(RoutingContext ctx, JsonObject json) {
        ctx.response().putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json")
            .end(json.encode());
    }
}
