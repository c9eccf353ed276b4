package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The first handler: a path with a malformed {@code %} escape ({@code /v1/stores/%zz}) is the
 * client's mistake, answered 400 {@code request:path.invalid} before any route decodes it (which would
 * otherwise fail as an internal error, logged at ERROR for each request).
 */
final class PathEscapes {
    private PathEscapes() {
    }

    static void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path != null && path.indexOf('%') >= 0) {
            try {
                URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("request:path.invalid", "the path has a malformed %-escape");
            }
        }
        ctx.next();
    }
}
