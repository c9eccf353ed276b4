package dev.onshelf.api.epcis;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.api.http.ProblemException;
import dev.onshelf.core.epcis.EpcisCapture;
import dev.onshelf.core.epcis.EpcisCapture.Captured;
import dev.onshelf.core.epcis.EpcisCapture.Mapped;
import dev.onshelf.core.epcis.EpcisCapture.Refused;
import dev.onshelf.core.epcis.EpcisRefusal;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.ApplyResult.Outcome;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Numbered;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/epcis/capture}: an EPCIS 2.0 document from a partner (bearer {@code
 * ONSHELF_EPCIS_TOKEN}), mapped by {@link EpcisCapture} and written through the one pipeline
 * ({@link Writes}) like a staff count, each product of an event under the idempotency key
 * {@code epcis:<eventID>#<gtin>}. Answered synchronously, 200, with each event's outcome in document
 * order: applied, duplicate (captured before), stale (older than what the store knows: no effect) or
 * refused with a code and a reason.
 */
public final class EpcisHandler {
    /** Who the audit stream names for a partner's events (one token, one partner). */
    static final String PARTNER = "epcis";
    private final EpcisCapture mapping;
    private final Writes writes;
    private final RegistryStore registry;
    private final LongSupplier clock;
    private final byte[] token;

    public EpcisHandler(EpcisCapture mapping, Writes writes, RegistryStore registry, LongSupplier clock, String token) {
        this.mapping = mapping;
        this.writes = writes;
        this.registry = registry;
        this.clock = clock;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The partner's bearer token, compared in constant time; 501 when no token is configured. */
    public void authenticate(RoutingContext ctx) {
        if (token.length == 0) {
            throw new ProblemException(501, "auth:epcis.not_configured", "Not implemented",
                "EPCIS capture is not configured on this server (ONSHELF_EPCIS_TOKEN)");
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ProblemException(401, "auth:token.missing", "Unauthorized",
                "this endpoint needs Authorization: Bearer <EPCIS capture token>");
        }
        if (!MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token)) {
            throw new ProblemException(401, "auth:token.invalid", "Unauthorized", "the EPCIS capture token is not valid");
        }
        ctx.next();
    }

    /**
     * Before the body is read: JSON or JSON-LD (EPCIS 2.0's media type), and a declared length within
     * {@link EpcisCapture#MAX_DOCUMENT_BYTES} (a chunked body past it is cut off by the body reader: 413).
     */
    public static void guard(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String media = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media != null && !media.equals("application/json") && !media.equals("application/ld+json")) {
            throw new ProblemException(415, "request:content_type.unsupported", "Unsupported media type",
                "an EPCIS document is application/ld+json (or application/json)");
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
            && Long.parseLong(length) > EpcisCapture.MAX_DOCUMENT_BYTES) {
            throw new ProblemException(413, "epcis:document.too_large", "Payload too large", "the document is "
                + length + " bytes, at most " + EpcisCapture.MAX_DOCUMENT_BYTES + " are taken: split it");
        }
        ctx.next();
    }

    public void capture(RoutingContext ctx) {
        List<Captured> events;
        try {
            events = mapping.capture(ctx.body().buffer().getBytes(), clock.getAsLong());
        } catch (EpcisRefusal r) {
            throw new ProblemException(r.status(), r.code(), r.status() == 413 ? "Payload too large" : "Bad request",
                r.detail());
        }
        Set<StoreId> stores = new LinkedHashSet<>();
        events.forEach(e -> {
            if (e instanceof Mapped m) {
                stores.add(m.store());
            }
        });
        // each store's pseudo-device, as the staff's handheld: an unregistered store is then refused by
        // the pipeline itself (store.unknown, dead-lettered), like any other write for it
        List<Future<?>> registered = new ArrayList<>();
        for (StoreId store : stores) {
            registered.add(on(ctx, registry.putDevice(store, EpcisCapture.source(store), DeviceKind.FEED)));
        }
        Attribution by = Attribution.partner(PARTNER);
        Future.all(registered)
            .compose(x -> {
                List<Future<ApplyResult>> applied = new ArrayList<>();
                for (Captured e : events) {
                    if (e instanceof Mapped m) {
                        m.writes().forEach(w -> applied.add(on(ctx, writes.submit(w, by))));
                    }
                }
                return Future.all(applied).map(all -> answer(events, all.<ApplyResult>list()));
            })
            .onSuccess(body -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                .end(body.encode()))
            .onFailure(ctx::fail);
    }

    private static <T> Future<T> on(RoutingContext ctx, java.util.concurrent.CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    /** Each event's outcome, in document order, from the pipeline's results of its writes (in the same order). */
    static JsonObject answer(List<Captured> events, List<ApplyResult> results) {
        JsonArray out = new JsonArray();
        int[] tally = new int[4];  // applied, duplicate, stale, refused
        int next = 0;
        for (Captured e : events) {
            JsonObject json = new JsonObject().put("index", e.index()).put("eventID", e.eventId());
            if (e instanceof Refused r) {
                tally[3]++;
                out.add(json.put("outcome", "refused").put("code", r.code()).put("detail", r.detail()));
                continue;
            }
            Mapped m = (Mapped) e;
            JsonArray products = new JsonArray();
            ApplyResult refusal = null;
            boolean anyApplied = false;
            boolean allDuplicate = true;
            for (Numbered w : m.writes()) {
                ApplyResult r = results.get(next++);
                products.add(new JsonObject().put("gtin", gtin(w)).put("qty", qty(w))
                    .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT)));
                refusal = refusal == null && r.outcome() == Outcome.REJECTED ? r : refusal;
                anyApplied |= r.outcome() == Outcome.APPLIED;
                allDuplicate &= r.outcome() == Outcome.DUPLICATE;
            }
            String outcome = refusal != null ? "refused" : anyApplied ? "applied" : allDuplicate ? "duplicate" : "stale";
            tally[switch (outcome) {
                case "applied" -> 0;
                case "duplicate" -> 1;
                case "stale" -> 2;
                default -> 3;
            }]++;
            json.put("outcome", outcome).put("as", m.as().name()).put("storeId", m.store().value());
            if (refusal != null) {
                json.put("code", code(refusal)).put("detail", detail(refusal, m));
            }
            out.add(json.put("products", products));
        }
        return new JsonObject().put("applied", tally[0]).put("duplicate", tally[1]).put("stale", tally[2])
            .put("refused", tally[3]).put("events", out);
    }

    private static String gtin(Numbered w) {
        return w instanceof FeedEvent f ? f.gtin().value() : ((ShelfCountEvent) w).gtin().value();
    }

    private static long qty(Numbered w) {
        return w instanceof FeedEvent f ? f.qty() : ((ShelfCountEvent) w).count();
    }

    private static String code(ApplyResult r) {
        return switch (r.reason()) {
            case IDEMPOTENCY_MISMATCH -> "epcis:eventID.reused";
            default -> "epcis:" + r.reason().code();
        };
    }

    private static String detail(ApplyResult r, Mapped m) {
        return switch (r.reason()) {
            case STORE_UNKNOWN -> "store " + m.store() + " is not registered";
            case IDEMPOTENCY_MISMATCH -> "this eventID was captured before with other content (another product, "
                + "quantity or business step): its products that differ were not applied (see products). A new event needs "
                + "a new eventID";
            default -> "the store refused the event (" + r.reason().code() + "); it is in the dead letters";
        };
    }
}
