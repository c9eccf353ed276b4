package dev.onshelf.api.http;

import dev.onshelf.core.catalog.Product;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The catalogue: search by name for shoppers ({@code GET /v1/products?q=}), and the admin's
 * {@code PUT} / {@code DELETE /v1/admin/products/{gtin}}.
 */
final class CatalogHandler {
    static final int MAX_LIMIT = 50;
    private final ProductNames names;

    CatalogHandler(ProductNames names) {
        this.names = names;
    }

    /** {@code GET /v1/products?q=oat+mil&limit=10}: best match first; a GTIN as q finds that product. */
    void search(RoutingContext ctx) {
        String q = ctx.request().getParam("q");
        if (q == null || q.isBlank() || q.length() > 200) {
            throw ProblemException.badRequest("request:q.invalid", "q must be 1 to 200 characters");
        }
        int limit = (int) QueryParams.number("limit", ctx.request().getParam("limit"), 10.0, 1, MAX_LIMIT);
        Gtin asGtin = gtinOrNull(q.strip());
        Future<List<JsonObject>> found = asGtin != null
            ? names.product(ctx.vertx().getOrCreateContext(), asGtin)
                .map(p -> p.map(x -> List.of(ProductNames.json(x))).orElse(List.of()))
            : Future.fromCompletionStage(names.catalog().search(q, limit), ctx.vertx().getOrCreateContext())
                .map(hits -> hits.stream().map(h -> ProductNames.json(h.product())).toList());
        found.onSuccess(items -> AvailabilityHandler.send(ctx, new JsonObject().put("q", q)
            .put("items", new JsonArray(items)))).onFailure(ctx::fail);
    }

    void put(RoutingContext ctx) {
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        JsonObject body = Requests.jsonObjectOrNull(ctx);
        if (body == null) {
            throw ProblemException.badRequest("request:body.invalid", "the body must be a JSON object");
        }
        Product product;
        try {
            product = new Product(gtin, text(body, "name"), text(body, "brand"), text(body, "size"),
                text(body, "category"), text(body, "imageUrl"));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(" ", 2)[0];
            throw ProblemException.badRequest("catalog:" + field + ".invalid", e.getMessage());
        }
        Future.fromCompletionStage(names.catalog().put(product), ctx.vertx().getOrCreateContext())
            .onSuccess(created -> {
                names.forget(gtin);
                ctx.response().setStatusCode(created ? 201 : 200).putHeader("Content-Type", "application/json")
                    .end(ProductNames.json(product).encode());
            })
            .onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        Future.fromCompletionStage(names.catalog().delete(gtin), ctx.vertx().getOrCreateContext())
            .onSuccess(existed -> {
                names.forget(gtin);
                if (existed) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.fail(new ProblemException(404, "catalog:product.unknown", "Unknown product",
                        "product " + gtin + " is not in the catalogue"));
                }
            })
            .onFailure(ctx::fail);
    }

    private static String text(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v != null && !(v instanceof String)) {
            throw ProblemException.badRequest("catalog:" + field + ".invalid", field + " must be a string");
        }
        return (String) v;
    }

    private static Gtin gtinOrNull(String q) {
        if (!q.matches("[0-9]{8}|[0-9]{12,14}")) {
            return null;
        }
        try {
            return Gtin.parse(q);
        } catch (ValidationException e) {
            return null;
        }
    }
}
