package dev.onshelf.app;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.simulators.fleet.FaultMix;
import dev.onshelf.simulators.fleet.FleetRegistration;
import dev.onshelf.simulators.fleet.FleetSimulator;
import dev.onshelf.simulators.fleet.SimStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's three stores, their devices and products, registered before the simulator starts. The
 * products are the demo catalogue's ({@link CatalogLoader#demo()}), in its order; past its end,
 * made-up GTINs without names.
 */
final class DemoStores {
    private DemoStores() {
    }

    static FleetSimulator.Settings settings(int products, long tickMillis) {
        List<Gtin> gtins = new ArrayList<>();
        try {
            CatalogLoader.demo().stream().limit(products).forEach(p -> gtins.add(p.gtin()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        FleetRegistration.register(stores, registry);
    }
}
