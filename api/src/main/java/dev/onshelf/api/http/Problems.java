package dev.onshelf.api.http;

import dev.onshelf.core.model.ValidationException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: renders every error as application/problem+json (RFC 9457). */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    public static final String TYPE_BASE = "https://onshelf.dev/problems/";
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void handle(RoutingContext ctx) {
        ProblemException p = toProblem(ctx);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        write(ctx, p);
    }

    public static void write(RoutingContext ctx, ProblemException p) {
        JsonObject body = new JsonObject()
            .put("type", TYPE_BASE + p.code())
            .put("title", p.title())
            .put("status", p.status())
            .put("detail", p.detail())
            .put("code", p.code())
            .put("instance", ctx.request().path());
        p.extensions().forEach(body::put);
        if ((p.status() == 503 || p.status() == 429) && !ctx.response().headers().contains("Retry-After")) {
            ctx.response().putHeader("Retry-After", "1");
        }
        if (p.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().setStatusCode(p.status()).putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
    }

    private static ProblemException toProblem(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ProblemException p) {
            return p;
        }
        if (failure instanceof ValidationException v) {
            return ProblemException.badRequest("availability:" + v.reason().code(), v.detail());
        }
        if (failure instanceof io.vertx.core.json.DecodeException) {
            return ProblemException.badRequest("request:body.invalid", "request body is not valid JSON");
        }
        if (failure != null && isDependencyFailure(failure)) {
            LOG.warn("dependency failure [path: {}, error: {}]", ctx.request().path(), failure.toString());
            return ProblemException.unavailable("the availability store is unreachable; retry shortly");
        }
        return switch (ctx.statusCode()) {
            case 403 -> new ProblemException(403, "http:forbidden", "Forbidden", "not allowed");
            case 404 -> new ProblemException(404, "http:not_found", "Not found",
                "no resource at " + ctx.request().path());
            case 405 -> new ProblemException(405, "http:method_not_allowed", "Method not allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path());
            case 413 -> new ProblemException(413, "http:body.too_large", "Payload too large",
                "request body is too large");
            case 503 -> ProblemException.unavailable("the request took too long; retry shortly");
            case 400 -> ProblemException.badRequest("request:invalid", "the request is malformed");
            default -> {
                LOG.error("unhandled failure [path: {}]", ctx.request().path(), failure);
                yield new ProblemException(500, "server:internal", "Internal error",
                    "an unexpected error occurred; it has been logged");
            }
        };
    }

    private static boolean isDependencyFailure(Throwable t) {
        return t instanceof io.lettuce.core.RedisException || t instanceof TimeoutException
            || t instanceof java.io.IOException;
    }
}
