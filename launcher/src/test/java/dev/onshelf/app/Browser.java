package dev.onshelf.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A headless Chromium session through chromedriver's W3C WebDriver HTTP API: the few commands the
 * browser tests need (open, find, type, click, read text, screenshot), with no client library.
 * Chromium runs with the flags this machine needs (no sandbox as root, no background networking).
 */
final class Browser implements AutoCloseable {
    static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    static final String ENTER = "\uE007";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String session;
    private final Path profile;

    /** {@code profile}: a new empty directory for Chromium's profile, deleted on close. */
    Browser(String driverUrl, Path profile, int width, int height) {
        this.profile = profile;
        JsonObject options = new JsonObject().put("binary", "/usr/bin/chromium").put("args", new JsonArray()
            .add("--headless=new").add("--no-sandbox").add("--disable-gpu").add("--disable-dev-shm-usage")
            .add("--disable-quic").add("--no-first-run").add("--disable-background-networking")
            .add("--disable-component-update").add("--disable-sync").add("--user-data-dir=" + profile))
            // a phone's viewport (a headless window is at least 500 px wide)
            .put("mobileEmulation", new JsonObject().put("deviceMetrics", new JsonObject().put("width", width)
                .put("height", height).put("pixelRatio", 1)));
        JsonObject caps = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch", new JsonObject()
            .put("browserName", "chrome").put("goog:chromeOptions", options)
            .put("goog:loggingPrefs", new JsonObject().put("browser", "ALL"))));
        JsonObject value = (JsonObject) call("POST", driverUrl + "/session", caps);
        this.session = driverUrl + "/session/" + value.getString("sessionId");
    }

    void open(String url) {
        call("POST", session + "/url", new JsonObject().put("url", url));
    }

    /** The first element matching a CSS selector, or null. */
    String find(String css) {
        JsonArray found = (JsonArray) call("POST", session + "/elements",
            new JsonObject().put("using", "css selector").put("value", css));
        return found.isEmpty() ? null : found.getJsonObject(0).getString(ELEMENT);
    }

    String require(String css) {
        String id = find(css);
        if (id == null) {
            throw new AssertionError("no element " + css);
        }
        return id;
    }

    void type(String css, String text) {
        call("POST", session + "/element/" + require(css) + "/value", new JsonObject().put("text", text));
    }

    void clear(String css) {
        call("POST", session + "/element/" + require(css) + "/clear", new JsonObject());
    }

    void click(String css) {
        call("POST", session + "/element/" + require(css) + "/click", new JsonObject());
    }

    /** The visible text of the first match, or "" when there is none (or it was just replaced). */
    String text(String css) {
        String id = find(css);
        try {
            return id == null ? "" : (String) call("GET", session + "/element/" + id + "/text", null);
        } catch (StaleElement e) {
            return "";
        }
    }

    /** The page re-rendered the element between finding and reading it. */
    static final class StaleElement extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        StaleElement(String message) {
            super(message);
        }
    }

    /** Runs a script in the page (WebDriver's own channel, not the page's CSP) and returns its value. */
    Object script(String js) {
        return call("POST", session + "/execute/sync", new JsonObject().put("script", js).put("args", new JsonArray()));
    }

    /** Runs an asynchronous script: it calls {@code done(value)}, the last argument, when finished. */
    Object scriptAsync(String js) {
        return call("POST", session + "/execute/async", new JsonObject()
            .put("script", "const done = arguments[arguments.length - 1]; " + js).put("args", new JsonArray()));
    }

    /** The browser console's messages since the last call (chromedriver's log endpoint), one per line. */
    String consoleLog() {
        JsonArray entries = (JsonArray) call("POST", session + "/se/log", new JsonObject().put("type", "browser"));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            out.append(e.getString("level")).append(' ').append(e.getString("message")).append('\n');
        }
        return out.toString();
    }

    /** The page's current DOM, as HTML (for failure reports). */
    String source() {
        return (String) call("GET", session + "/source", null);
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode((String) call("GET", session + "/screenshot", null)));
    }

    private Object call(String method, String url, JsonObject body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.encode()))
            .header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Object value = new JsonObject(r.body()).getValue("value");
            if (r.statusCode() == 404 && value instanceof JsonObject v && "stale element reference".equals(v.getString("error"))) {
                throw new StaleElement(v.getString("message"));
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + url + ": " + r.statusCode() + " " + value);
            }
            return value;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        call("DELETE", session, null);
        try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
