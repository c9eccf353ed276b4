package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router serves /asyncapi.yaml and /openapi.yaml byte for byte as the resources are written. */
@Timeout(60)
class ServedDocumentsTest {
    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        OpenAPIContract contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        ApiSettings settings = new ApiSettings("127.0.0.1", 0, "token-0123456789abcdef", null, 100, 5_000, 100,
            false, List.of(), "", "", ApiHardening.DEFAULT, true);
        // the document routes need no Redis: the stores are left out
        var router = ApiRouter.create(vertx, settings, null, null, null, null, new Readiness(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System::currentTimeMillis, true, contract,
            new ProductNames(null, System::currentTimeMillis), null, null, null);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = ServedDocumentsTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAsyncApiDocumentIsServedAsWritten() throws Exception {
        HttpResponse<String> served = get("/asyncapi.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/yaml");
        String expected = resource("/onshelf/asyncapi.yaml");
        assertThat(expected).startsWith("asyncapi: 3.0.0");
        assertThat(served.body()).isEqualTo(expected);
    }

    @Test
    void theOpenApiDocumentIsServedAsWrittenAndNamesTheAsyncApiOne() throws Exception {
        HttpResponse<String> served = get("/openapi.yaml");
        assertThat(served.body()).isEqualTo(resource("/onshelf/openapi.yaml"));
        assertThat(served.body()).contains("  /asyncapi.yaml:\n    get:");
    }
}
