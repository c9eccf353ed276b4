package dev.onshelf.app;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.simulators.fleet.FaultMix;
import dev.onshelf.simulators.fleet.FleetSimulator;
import dev.onshelf.simulators.fleet.SimDevice;
import dev.onshelf.simulators.fleet.SimStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The demo's three stores, their devices and products, registered before the simulator starts. */
final class DemoStores {
    private DemoStores() {
    }

    static FleetSimulator.Settings settings(int products, long tickMillis) {
        List<Gtin> gtins = new ArrayList<>();
        gtins.add(Gtin.parse("4006381333931"));
        for (int i = 1; gtins.size() < products; i++) {
            gtins.add(Gtin.fromBody(String.format("040063810%04d", i)));  // GTIN-13s, normalised
        }
        return new FleetSimulator.Settings(List.of(
            new SimStore.StoreSpec("0421", "High Street", 51.5145, -0.1300),
            new SimStore.StoreSpec("0422", "Riverside", 51.5033, -0.1196),
            new SimStore.StoreSpec("0507", "Station Road", 51.5300, -0.1240)),
            gtins, 4, 12, 2.0, 30, tickMillis, FaultMix.NONE, 42);
    }

    static void register(List<SimStore> stores, RegistryStore registry) throws Exception {
        for (SimStore s : stores) {
            StoreId store = new StoreId(s.id);
            registry.putStore(store, s.name, s.lat, s.lon).toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<SimDevice> devices = new ArrayList<>(s.mats);
            devices.add(s.till);
            for (SimDevice d : devices) {
                registry.putDevice(store, new DeviceId(d.id), DeviceKind.parse(d.kind)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            }
        }
    }
}
