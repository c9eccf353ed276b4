package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.simulators.fleet.FleetSimulator;
import dev.onshelf.simulators.fleet.SimStore;
import dev.onshelf.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo's embedded path: embedded broker and Redis, simulated stores, live answers over HTTP. */
@Timeout(180)
class DemoIT {

    @Test
    void theEmbeddedDemoServesLiveAnswers() throws Exception {
        int port = ServiceProcess.freePort();
        try (EmbeddedServices services = EmbeddedServices.start();
             Node node = Node.start(OnShelfConfig.fromEnv(Map.of(), false)
                 .withServices(services.mqttUrl(), services.redisUrl(), port, "demo-token-0123456789"), Node.all())) {
            try (FleetSimulator simulator = new FleetSimulator(DemoStores.settings(10, 100), System::currentTimeMillis)) {
                List<SimStore> stores = simulator.stores();
                DemoStores.register(stores, node.registry());
                simulator.start(services.mqttUrl());
                Http http = new Http(port, "demo-token-0123456789");
                SimStore.Product product = stores.get(0).products.get(0);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonObject a = http.getJson("/v1/stores/0421/products/" + product.gtin.value());
                    assertThat(a.getString("confidence")).isEqualTo("high");
                    assertThat(a.getValue("onShelf")).isNotNull();
                    assertThat(a.getLong("bookCount")).isNotNull();
                });
                assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
                assertThat(simulator.published()).isPositive();
            }
        }
    }
}
