package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * Request bodies are JSON, nothing else: no endpoint takes uploads. A request with a body of another
 * media type (multipart, forms, ...) is refused with 415 before a byte of it is read, and the body
 * handler itself never writes uploads to disk (Vert.x's default keeps them in {@code ./file-uploads}).
 * Media types compare case-insensitively (RFC 9110 §8.3.1).
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** The handler pair for a route prefix: the media-type guard, then the bounded in-memory body reader. */
    public static BodyHandler reader(long limitBytes) {
        return BodyHandler.create(false).setBodyLimit(limitBytes).setDeleteUploadedFilesOnEnd(true)
            .setMergeFormAttributes(false);
    }

    /** Refuses, with 415 and before reading it, a body that is not declared as JSON. */
    public static void guard(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !isJson(type)) {
            throw unsupported();
        }
        ctx.next();
    }

    /** Whether a Content-Type header names JSON ({@code application/json}, any case, any parameters). */
    public static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }

    static ProblemException unsupported() {
        return new ProblemException(415, "request:content_type.unsupported", "Unsupported media type",
            "the body must be application/json");
    }
}
