package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.simulators.store.SimulatedStore;
import dev.onshelf.simulators.store.StoreSimulator;
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
            List<SimulatedStore> stores = DemoStores.create(10);
            DemoStores.register(stores, node.registry());
            try (StoreSimulator simulator = new StoreSimulator(stores, 42, System::currentTimeMillis)) {
                simulator.start(services.mqttUrl(), 100);
                Http http = new Http(port, "demo-token-0123456789");
                SimulatedStore.Product product = stores.get(0).products.get(0);
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
