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
 * <p>The API reference ({@code /docs}) is Swagger UI from its WebJar (org.webjars:swagger-ui, on the
 * classpath) rendering {@code /openapi.yaml}, with a CSP of its own ({@link #DOCS_CSP}).
 *
 * <p>The shopper page may be embedded (a widget in an iframe) by the origins the operator trusts to
 * call the API (ONSHELF_CORS_ORIGINS): its {@code frame-ancestors} lists them, and it drops
 * {@code X-Frame-Options}, which cannot name several origins. The staff app is never framed.
 */
public final class Pages {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
        + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors ";
    /**
     * Swagger UI's own scripts and styles, the API document and "try it out" calls to this origin,
     * its icons as data: images; nothing inline, nothing from elsewhere, no frames (DocsIT checks that
     * Chromium refuses it nothing).
     */
    static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml", "webmanifest", "application/manifest+json");
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** URL path -> resource under onshelf/pages/, or (starting with META-INF/) in the Swagger UI WebJar. */
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
        FILES.put("/docs", "docs/index.html");
        FILES.put("/docs/", "docs/index.html");
        FILES.put("/docs/docs.js", "docs/docs.js");
        String swaggerUi = WEBJAR + webjarVersion() + "/";
        FILES.put("/docs/swagger-ui-bundle.js", swaggerUi + "swagger-ui-bundle.js");
        FILES.put("/docs/swagger-ui.css", swaggerUi + "swagger-ui.css");
    }

    private enum Kind { SHOPPER, STAFF, DOCS }

    private record Page(Buffer body, String type, String etag, Kind kind) {
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
        String path = resource.startsWith(WEBJAR) ? "/" + resource : "/onshelf/pages/" + resource;
        try (InputStream in = Pages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("page missing from the classpath: " + resource);
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
            Kind kind = resource.startsWith("staff/") ? Kind.STAFF
                : resource.startsWith("docs/") || resource.startsWith(WEBJAR) ? Kind.DOCS : Kind.SHOPPER;
            return new Page(Buffer.buffer(bytes), type, "\"" + Long.toHexString(crc.getValue()) + "\"", kind);
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
        if (page.kind() == Kind.SHOPPER && framedByOthers) {
            ctx.response().headers().remove("X-Frame-Options");
        }
        String csp = switch (page.kind()) {
            case SHOPPER -> shopperCsp;
            case STAFF -> staffCsp;
            case DOCS -> DOCS_CSP;
        };
        ctx.response()
            .putHeader("Content-Security-Policy", csp)
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

    /** The Swagger UI version on the classpath, from its WebJar's Maven metadata. */
    private static String webjarVersion() {
        try (InputStream in = Pages.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI WebJar (org.webjars:swagger-ui) is missing from the classpath");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
