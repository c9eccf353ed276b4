package dev.onshelf.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The published API document ({@code /openapi.yaml}) and the contract requests are validated
 * against. The document is served as written; the contract is built from a copy without response
 * bodies, which request validation does not need and whose media types (problem+json,
 * text/event-stream) vertx-openapi 5.0 refuses to load, with request bodies of JSON-LD read as JSON
 * (which it refuses too), and without servers (for readers only).
 */
public final class ApiContract {
    public static final String RESOURCE = "/onshelf/openapi.yaml";
    /** JSON-LD, validated as JSON. */
    static final String JSON_LD = "application/ld+json";

    private ApiContract() {
    }

    /** The document's text, as served. */
    public static String document() {
        try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the contract (a fraction of a second to a few seconds): once, at start-up. */
    public static Future<OpenAPIContract> load(Vertx vertx) {
        return OpenAPIContract.from(vertx, requestsOnly(yamlToJson(document())));
    }

    static JsonObject requestsOnly(JsonObject doc) {
        JsonObject copy = doc.copy();
        // the servers list is a hint for readers (/docs calls its own origin); validation needs no base URL
        copy.remove("servers");
        JsonObject paths = copy.getJsonObject("paths", new JsonObject());
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : List.of("get", "put", "post", "delete", "patch", "head", "options", "trace")) {
                JsonObject op = item.getJsonObject(method);
                if (op != null && op.containsKey("responses")) {
                    op.getJsonObject("responses").forEach(e -> ((JsonObject) e.getValue()).remove("content"));
                }
                // JSON-LD (EPCIS documents) is JSON: vertx-openapi 5.0 loads no application/ld+json body, so
                // the contract validates it as application/json (RequestValidation looks it up so)
                JsonObject body = op == null ? null : op.getJsonObject("requestBody");
                JsonObject content = body == null ? null : body.getJsonObject("content");
                if (content != null && content.containsKey(JSON_LD)) {
                    Object ld = content.remove(JSON_LD);
                    if (!content.containsKey("application/json")) {
                        content.put("application/json", ld);
                    }
                }
            }
        }
        JsonObject responses = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses");
        if (responses != null) {
            responses.forEach(e -> ((JsonObject) e.getValue()).remove("content"));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    static JsonObject yamlToJson(String yaml) {
        return new JsonObject((Map<String, Object>) stringKeys(new Yaml().load(yaml)));
    }

    private static Object stringKeys(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), stringKeys(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ApiContract::stringKeys).toList();
        }
        return o;
    }
}
