package dev.onshelf.simulators.fleet;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.StoreId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Registers a simulated fleet's stores and devices, before it starts publishing (blocking: not for event loops). */
public final class FleetRegistration {
    private FleetRegistration() {
    }

    public static void register(List<SimStore> stores, RegistryStore registry) throws Exception {
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
