package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.simulators.fleet.FaultMix;
import dev.onshelf.simulators.fleet.FleetRegistration;
import dev.onshelf.simulators.fleet.FleetSimulator;
import dev.onshelf.simulators.fleet.SimStore;
import dev.onshelf.simulators.load.LoadResult;
import dev.onshelf.simulators.load.ShopperLoad;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Accuracy: a simulated fleet publishes through OnShelf while shoppers look products up; every
 * answer is judged against the shelf's ground truth at the moment the request was sent.
 */
final class AccuracyBench {
    private AccuracyBench() {
    }

    static LoadResult run(Vertx vertx, String mqttUrl, int httpPort, RegistryStore registry, String prefix,
                          FaultMix faults, long millis) throws Exception {
        List<SimStore.StoreSpec> specs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            specs.add(new SimStore.StoreSpec(prefix + i, "Store " + i, 51.5 + i * 0.01, -0.1));
        }
        // sensors off by one unit 1% of the time (never reading an empty shelf as stocked), counts every 60 s
        FleetSimulator.Settings settings = new FleetSimulator.Settings(specs, Workload.gtins(40), 3, 12, 4.0, 10, 100,
            faults, 11, 0.01, 60);
        try (FleetSimulator fleet = new FleetSimulator(settings, System::currentTimeMillis)) {
            FleetRegistration.register(fleet.stores(), registry);
            fleet.start(mqttUrl);
            TimeUnit.SECONDS.sleep(3);  // let the fleet's first full report land before judging answers
            List<String> stores = specs.stream().map(SimStore.StoreSpec::id).toList();
            List<String> gtins = Workload.gtins(40).stream().map(g -> g.value()).toList();
            ShopperLoad shoppers = new ShopperLoad(vertx, "127.0.0.1", httpPort, stores, gtins,
                (s, g) -> "/v1/stores/" + s + "/products/" + g, fleet.truth());
            return shoppers.run(4, millis, 400, 5);
        }
    }
}
