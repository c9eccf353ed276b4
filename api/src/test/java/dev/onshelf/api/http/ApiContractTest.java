package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published document and the router agree: every route is documented, every operation routed. */
class ApiContractTest {
    private static Vertx vertx;
    private static OpenAPIContract contract;

    @BeforeAll
    static void load() throws Exception {
        vertx = Vertx.vertx();
        contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Test
    void everyRouteIsAnOperationOfTheDocumentAndBack() {
        ApiSettings settings = new ApiSettings("127.0.0.1", 0, "token-0123456789abcdef", null, 100, 5_000, 100,
            false, List.of(), "", "", ApiHardening.DEFAULT, true);
        Router router = ApiRouter.create(vertx, settings, null, null, null, null, new Readiness(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System::currentTimeMillis, true, contract,
            new ProductNames(null, System::currentTimeMillis), null, null, null);
        Set<String> routed = new TreeSet<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() != null && r.methods() != null && !r.methods().isEmpty()) {
                for (HttpMethod m : r.methods()) {
                    routed.add(m.name() + " " + r.getPath().replaceAll(":(\\w+)", "{$1}"));
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        for (Operation o : contract.operations()) {
            documented.add(o.getHttpMethod().name() + " " + o.getOpenAPIPath());
        }
        assertThat(routed).hasSize(40).isEqualTo(documented);
    }

    @Test
    void theEpcisLimitsTheDocumentStatesAreTheOnesEnforced() {
        String doc = ApiContract.document();
        assertThat(dev.onshelf.core.epcis.EpcisCapture.MAX_DOCUMENT_BYTES).isEqualTo(1 << 20);
        assertThat(doc).contains("At most 1 MiB and " + String.format(java.util.Locale.ROOT, "%,d",
            dev.onshelf.core.epcis.EpcisCapture.MAX_EVENTS) + " events per document");
        assertThat(doc).contains("At most " + String.format(java.util.Locale.ROOT, "%,d",
            dev.onshelf.core.epcis.EpcisCapture.MAX_EVENTS) + " events (413");
        assertThat(doc).contains("kept " + dev.onshelf.core.ingest.Attribution.EPCIS_IDEMPOTENCY_SECONDS / 86_400
            + " days");
    }

    @Test
    void everyOperationCanBeValidated() {
        RequestValidation validation = new RequestValidation(contract);
        for (Operation o : contract.operations()) {
            assertThat(validation.validate(o.getOperationId())).as(o.getOperationId()).isNotNull();
        }
    }
}
