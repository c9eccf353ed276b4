package dev.onshelf.app;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.simulators.store.SimulatedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The demo's three stores, their devices and products, registered before the simulator starts. */
final class DemoStores {
    private DemoStores() {
    }

    static List<SimulatedStore> create(int products) {
        List<Gtin> gtins = new ArrayList<>();
        gtins.add(Gtin.parse("4006381333931"));
        for (int i = 1; gtins.size() < products; i++) {
            gtins.add(Gtin.fromBody(String.format("040063810%04d", i)));  // GTIN-13s, normalised
        }
        return List.of(
            new SimulatedStore("0421", "High Street", 51.5145, -0.1300, gtins, 4, 12),
            new SimulatedStore("0422", "Riverside", 51.5033, -0.1196, gtins, 4, 12),
            new SimulatedStore("0507", "Station Road", 51.5300, -0.1240, gtins, 4, 12));
    }

    static void register(List<SimulatedStore> stores, RegistryStore registry) throws Exception {
        for (SimulatedStore s : stores) {
            StoreId store = new StoreId(s.id);
            registry.putStore(store, s.name, s.lat, s.lon).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (String mat : s.mats) {
                registry.putDevice(store, new DeviceId(mat), DeviceKind.SHELF).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            }
            registry.putDevice(store, new DeviceId(s.till), DeviceKind.FEED).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        }
    }
}
