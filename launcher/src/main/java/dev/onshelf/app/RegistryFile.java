package dev.onshelf.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.StoreId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Loads stores and devices at start-up from a JSON file (ONSHELF_REGISTRY_FILE):
 * <pre>{"stores": [{"id": "0421", "name": "High St", "lat": 51.5, "lon": -0.12,
 *               "devices": [{"id": "mat-07", "kind": "shelf"}, {"id": "till-3", "kind": "feed"}]}]}</pre>
 * Runs before the process serves anything, so waiting here blocks no event loop.
 */
final class RegistryFile {
    private RegistryFile() {
    }

    static void load(Path file, RegistryStore registry) throws Exception {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new OnShelfConfig.ConfigException("ONSHELF_REGISTRY_FILE " + file + " is not readable JSON: "
                + e.getMessage());
        }
        int stores = 0;
        int devices = 0;
        for (JsonNode s : root.path("stores")) {
            StoreId store = new StoreId(s.path("id").asText());
            registry.putStore(store, s.path("name").asText(store.value()), s.path("lat").asDouble(),
                s.path("lon").asDouble()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            stores++;
            for (JsonNode d : s.path("devices")) {
                RegistryStore.DeviceOutcome outcome = registry.putDevice(store, DeviceId.parse(d.path("id").asText()),
                    DeviceKind.parse(d.path("kind").asText())).toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (outcome == RegistryStore.DeviceOutcome.STORE_UNKNOWN) {
                    throw new OnShelfConfig.ConfigException("ONSHELF_REGISTRY_FILE: store " + store
                        + " vanished while its devices were registered");
                }
                devices++;
            }
        }
        org.slf4j.LoggerFactory.getLogger(RegistryFile.class)
            .info("registry loaded [file: {}, stores: {}, devices: {}]", file, stores, devices);
    }
}
