package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.HoldStore;
import dev.onshelf.aggregator.redis.RateWindows;
import dev.onshelf.api.holds.HoldsHandler;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.availability.AvailabilityRules;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import dev.onshelf.api.epcis.EpcisHandler;
import dev.onshelf.api.staff.StaffHandler;
import dev.onshelf.core.epcis.EpcisCapture;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.api.webhook.SubscriptionHandler;
import java.util.Map;
import java.util.function.LongSupplier;

/** All routes of the public, admin and operations API, and the one failure handler. */
public final class ApiRouter {
    /** Change streams the process holds open at most (each client also has its own bound). */
    static final int MAX_CHANGE_STREAMS = 1000;

    private ApiRouter() {
    }

    /** Each routed path (as a pattern) and the methods it answers, for the Allow header of a 405. */
    private static java.util.Map<java.util.regex.Pattern, java.util.Set<String>> allowedMethods(Router router) {
        java.util.Map<java.util.regex.Pattern, java.util.Set<String>> out = new java.util.HashMap<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
                continue;
            }
            java.util.regex.Pattern path = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(r.getPath()).replaceAll(":\\w+", "\\\\E[^/]+\\\\Q"));
            r.methods().forEach(m -> out.computeIfAbsent(path, k -> new java.util.TreeSet<>()).add(m.name()));
        }
        return out;
    }

    public static Router create(Vertx vertx, ApiSettings settings, RedisAvailabilityStore store, Writes writes,
                                RegistryStore registry, AvailabilityRules rules, Readiness readiness,
                                PrometheusMeterRegistry metrics, LongSupplier clock,
                                boolean publicRoutes, OpenAPIContract contract, ProductNames names,
                                ApiKeys keys, RateWindows windows, HoldStore holdStore) {
        Router router = Router.router(vertx);
        ClientIdentity identity = new ClientIdentity(settings.hardening().trustedProxies(), keys);
        RequestValidation valid = new RequestValidation(contract);
        AvailabilityHandler availability = new AvailabilityHandler(store, registry, rules, clock, names,
            settings.publicCounts());
        AdminHandler admin = new AdminHandler(registry, store, writes, clock, settings.adminToken());
        String openapi = ApiContract.document();

        router.route().handler(PathEscapes::handle);
        router.route().handler(new RequestTimeout(settings.requestTimeoutMillis())::handle);
        router.route().handler(SecurityHeaders::handle);
        if (!settings.corsOrigins().isEmpty()) {
            router.route().handler(new Cors(settings.corsOrigins())::handle);
        }
        if (publicRoutes) {
            router.route("/v1/*").handler(LoadShedder.shared(vertx, settings.maxPendingRequests(), metrics)::handle);
            RateLimiter limiter = RateLimiter.shared(vertx, settings.ratePerSecond(), identity,
                settings.hardening().sharedRateLimit() ? windows : null, clock);
            vertx.setPeriodic(60_000, t -> limiter.evictIdle());
            router.route("/v1/stores/*").handler(limiter::handle);
            router.route("/v1/products/*").handler(limiter::handle);
            router.route("/v1/stores").handler(limiter::handle);
            router.get("/v1/stores").handler(valid.validate("listStores")).handler(availability::stores);
            router.get("/v1/stores/:store").handler(valid.validate("getStore")).handler(availability::store);
            router.get("/v1/stores/:store/products/:gtin").handler(valid.validate("getAvailability")).handler(availability::lookup);
            router.get("/v1/stores/:store/products").handler(valid.validate("getBasket")).handler(availability::basket);
            ChangesHandler changes = new ChangesHandler(store, registry, rules, clock,
                ClientQuota.shared(vertx, "change-streams-total", MAX_CHANGE_STREAMS),
                ClientQuota.shared(vertx, "change-streams", settings.hardening().streamsPerClient()), identity,
                settings.publicCounts());
            router.get("/v1/stores/:store/changes").handler(valid.validate("streamChanges")).handler(changes::stream);
            router.get("/v1/products/:gtin/availability").handler(valid.validate("getAcrossStores")).handler(availability::acrossStores);
            router.get("/v1/products/:gtin/nearby").handler(valid.validate("getNearby")).handler(availability::nearby);
            LocalInventoryHandler localInventory = new LocalInventoryHandler(store, registry, rules, clock,
                settings.publicCounts());
            router.route("/v1/local-inventory").handler(limiter::handle);
            router.get("/v1/stores/:store/local-inventory").handler(valid.validate("getStoreLocalInventory"))
                .handler(localInventory::store);
            router.get("/v1/local-inventory").handler(valid.validate("getLocalInventory")).handler(localInventory::all);
            CatalogHandler catalog = new CatalogHandler(names);
            router.get("/v1/products").handler(valid.validate("searchProducts")).handler(catalog::search);

            AuthThrottle adminThrottle = AuthThrottle.shared(vertx, "admin");
            AuthThrottle staffThrottle = AuthThrottle.shared(vertx, "staff");
            AuthThrottle epcisThrottle = AuthThrottle.shared(vertx, "epcis");
            vertx.setPeriodic(60_000, t -> {
                adminThrottle.evictIdle();
                staffThrottle.evictIdle();
                epcisThrottle.evictIdle();
            });
            router.route("/v1/admin/*").handler(adminThrottle.guard(identity, admin::authenticate));
            router.route("/v1/admin/*").handler(JsonBodies::guard);
            router.route("/v1/admin/*").handler(JsonBodies.reader(16 * 1024));
            router.put("/v1/admin/stores/:store").handler(valid.validate("putStore")).handler(admin::putStore);
            router.delete("/v1/admin/stores/:store").handler(valid.validate("deleteStore")).handler(admin::deleteStore);
            router.put("/v1/admin/stores/:store/devices/:device").handler(valid.validate("putDevice")).handler(admin::putDevice);
            router.delete("/v1/admin/stores/:store/devices/:device").handler(valid.validate("deleteDevice"))
                .handler(admin::deleteDevice);
            router.get("/v1/admin/stores/:store/deadletters").handler(valid.validate("listStoreDeadLetters"))
                .handler(admin::storeDeadLetters);
            router.post("/v1/admin/stores/:store/deadletters/replay").handler(valid.validate("replayDeadLetters"))
                .handler(admin::replayDeadLetters);
            router.put("/v1/admin/stores/:store/products/:gtin/threshold").handler(valid.validate("putThreshold")).handler(admin::putThreshold);
            router.put("/v1/admin/products/:gtin").handler(valid.validate("putProduct")).handler(catalog::put);
            router.delete("/v1/admin/products/:gtin").handler(valid.validate("deleteProduct")).handler(catalog::delete);
            router.get("/v1/admin/deadletters").handler(valid.validate("listDeadLetters")).handler(admin::deadLetters);
            ApiKeyHandler apiKeys = new ApiKeyHandler(keys);
            router.post("/v1/admin/api-keys").handler(valid.validate("createApiKey")).handler(apiKeys::create);
            router.get("/v1/admin/api-keys").handler(valid.validate("listApiKeys")).handler(apiKeys::list);
            router.delete("/v1/admin/api-keys/:id").handler(valid.validate("revokeApiKey")).handler(apiKeys::delete);

            SubscriptionHandler subscriptions = new SubscriptionHandler(registry, settings.webhooksToPrivateAddresses(),
                settings.hardening().webhooks(), clock, identity);
            router.route("/v1/subscriptions*").handler(limiter::handle);
            router.route("/v1/subscriptions*").handler(JsonBodies::guard);
            router.route("/v1/subscriptions*").handler(JsonBodies.reader(4 * 1024));
            router.post("/v1/subscriptions").handler(valid.validate("subscribe")).handler(subscriptions::create);
            router.delete("/v1/subscriptions/:id").handler(valid.validate("unsubscribe")).handler(subscriptions::delete);

            StaffHandler staff = new StaffHandler(store, writes, registry, rules, clock, names);
            router.route("/v1/staff/*").handler(limiter::handle);
            io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> staffGuard = staffThrottle.guard(identity, ctx -> {
                if (settings.staffAuth() == null) {
                    throw new ProblemException(501, "auth:staff.not_configured", "Not implemented",
                        "staff authentication is not configured on this server (ONSHELF_STAFF_JWT_SECRET or "
                            + "ONSHELF_STAFF_JWT_PUBLIC_KEY_FILE)");
                }
                settings.staffAuth().handle(ctx);
            });
            router.route("/v1/staff/stores/:store/*").handler(staffGuard);
            router.route("/v1/staff/*").handler(JsonBodies::guard);
            router.route("/v1/staff/*").handler(JsonBodies.reader(16 * 1024));
            router.get("/v1/staff/stores/:store/gaps").handler(valid.validate("getGaps")).handler(staff::gaps);
            router.get("/v1/staff/stores/:store/products/:gtin").handler(valid.validate("getStaffProduct"))
                .handler(staff::product);
            router.post("/v1/staff/stores/:store/counts").handler(valid.validate("postCount")).handler(staff::count);
            router.get("/v1/staff/stores/:store/devices").handler(valid.validate("getDevices")).handler(staff::devices);
            // click-and-collect: shoppers hold, look up and release; staff collect (a sale) and pick
            HoldsHandler holds = new HoldsHandler(holdStore, writes, registry, clock, names, settings.publicCounts());
            router.route("/v1/stores/:store/holds*").handler(JsonBodies::guard);
            router.route("/v1/stores/:store/holds*").handler(JsonBodies.reader(4 * 1024));
            router.post("/v1/stores/:store/holds").handler(valid.validate("createHold")).handler(holds::create);
            router.get("/v1/stores/:store/holds/:id").handler(valid.validate("getHold")).handler(holds::get);
            router.delete("/v1/stores/:store/holds/:id").handler(valid.validate("releaseHold")).handler(holds::release);
            router.post("/v1/stores/:store/holds/:id/collect").handler(staffGuard)
                .handler(valid.validate("collectHold")).handler(holds::collect);
            router.get("/v1/staff/stores/:store/holds").handler(valid.validate("getPickList")).handler(holds::pickList);
            EpcisHandler epcis = new EpcisHandler(new EpcisCapture(), writes, registry, clock,
                settings.hardening().epcisToken());
            router.route("/v1/epcis/*").handler(epcisThrottle.guard(identity, epcis::authenticate));
            router.route("/v1/epcis/*").handler(EpcisHandler::guard);
            router.route("/v1/epcis/*").handler(JsonBodies.reader(EpcisCapture.MAX_DOCUMENT_BYTES));
            router.post("/v1/epcis/capture").handler(valid.validate("captureEpcis")).handler(epcis::capture);
            // "/" and "/staff/": the pages, with their own CSP
            router.routeWithRegex(Pages.paths()).handler(new Pages(settings.corsOrigins())::handle);
        }

        router.get("/health/live").handler(valid.validate("getLiveness")).handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(valid.validate("getReadiness")).handler(ctx -> {
            Map<String, Boolean> checks = readiness.evaluate();
            boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
            JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
            checks.forEach((name, ok) -> body.put(name, ok ? "UP" : "DOWN"));
            if (!up) {
                ctx.response().putHeader("Retry-After", "1");
            }
            ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(body.encode());
        });
        AuthThrottle metricsThrottle = AuthThrottle.shared(vertx, "metrics");
        router.get("/metrics").handler(metricsThrottle.guard(identity, MetricsAccess.guard(settings.hardening().metricsToken())))
            .handler(valid.validate("getMetrics")).handler(ctx -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(metrics.scrape()));
        router.get("/openapi.yaml").handler(valid.validate("getOpenApi")).handler(ctx -> ctx.response()
            .putHeader("Content-Type", "application/yaml")
            .end(openapi));
        String asyncapi = AsyncApiDocument.text();
        router.get("/asyncapi.yaml").handler(valid.validate("getAsyncApi")).handler(ctx -> ctx.response()
            .putHeader("Content-Type", "application/yaml")
            .end(asyncapi));

        router.route().failureHandler(Problems::handle);
        for (int status : new int[] {400, 404, 406, 413, 415, 500, 503}) {
            router.errorHandler(status, Problems::handle);
        }
        java.util.Map<java.util.regex.Pattern, java.util.Set<String>> methods = allowedMethods(router);
        router.errorHandler(405, ctx -> {
            java.util.Set<String> allow = new java.util.TreeSet<>();
            methods.forEach((path, m) -> {
                if (path.matcher(ctx.request().path()).matches()) {
                    allow.addAll(m);
                }
            });
            if (!allow.isEmpty()) {
                ctx.response().putHeader("Allow", String.join(", ", allow));
            }
            Problems.handle(ctx);
        });
        return router;
    }
}
