package dev.onshelf.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The shopper page ({@code /}) and the staff app ({@code /staff/}): plain HTML, CSS and ES modules
 * from the classpath ({@code onshelf/pages/}), read once into memory. They get their own
 * Content-Security-Policy — their own scripts, styles, images, API calls, manifest and service
 * worker, nothing inline, nothing from elsewhere but https images — while every other answer keeps the
 * API's {@code default-src 'none'} (set by {@link SecurityHeaders} before this runs). Not routes of
 * the API document: a path this class does not know falls through to the 404 problem.
 *
 * <p>The shopper page may be embedded (a widget in an iframe) by the origins the operator trusts to
 * call the API (ONSHELF_CORS_ORIGINS): its {@code frame-ancestors} lists them, and it drops
 * {@code X-Frame-Options}, which cannot name several origins. The staff app is never framed.
 */
public final class Pages {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
        + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors ";
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml", "webmanifest", "application/manifest+json");
    /** URL path -> resource under onshelf/pages/. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("/", "index.html");
        FILES.put("/index.html", "index.html");
        FILES.put("/shop.js", "shop.js");
        FILES.put("/common.js", "common.js");
        FILES.put("/style.css", "style.css");
        FILES.put("/icon.svg", "icon.svg");
        FILES.put("/staff/", "staff/index.html");
        FILES.put("/staff/index.html", "staff/index.html");
        FILES.put("/staff/staff.js", "staff/staff.js");
        FILES.put("/staff/manifest.webmanifest", "staff/manifest.webmanifest");
        FILES.put("/staff/sw.js", "staff/sw.js");
    }

    private record Page(Buffer body, String type, String etag, boolean embeddable) {
    }

    private final Map<String, Page> pages = new LinkedHashMap<>();
    private final String shopperCsp;
    private final String staffCsp = CSP + "'none'";
    private final boolean framedByOthers;

    /** {@code embedders}: origins that may frame the shopper page (none: nobody). */
    public Pages(java.util.List<String> embedders) {
        FILES.forEach((path, resource) -> pages.put(path, load(resource)));
        framedByOthers = !embedders.isEmpty();
        shopperCsp = framedByOthers ? CSP + "'self' " + String.join(" ", embedders) : staffCsp;
    }

    /**
     * A regex of exactly the paths served, to mount this handler on: a route matching every path
     * would turn the router's 405 for a known path with another method into a 404.
     */
    public static String paths() {
        return "^(" + String.join("|", FILES.keySet().stream().map(java.util.regex.Pattern::quote).toList()) + ")$";
    }

    private static Page load(String resource) {
        try (InputStream in = Pages.class.getResourceAsStream("/onshelf/pages/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("page missing from the classpath: " + resource);
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
            return new Page(Buffer.buffer(bytes), type, "\"" + Long.toHexString(crc.getValue()) + "\"",
                !resource.startsWith("staff/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        Page page = pages.get(ctx.request().path());
        if (page == null || !(method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            ctx.next();
            return;
        }
        if (page.embeddable() && framedByOthers) {
            ctx.response().headers().remove("X-Frame-Options");
        }
        ctx.response()
            .putHeader("Content-Security-Policy", page.embeddable() ? shopperCsp : staffCsp)
            .putHeader("Content-Type", page.type())
            .putHeader("ETag", page.etag())
            .putHeader("Cache-Control", "no-cache");
        if (page.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
        } else if (method == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", Integer.toString(page.body().length())).end();
        } else {
            ctx.response().end(page.body());
        }
    }
}
