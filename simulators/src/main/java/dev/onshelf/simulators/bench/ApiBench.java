package dev.onshelf.simulators.bench;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.simulators.load.LoadResult;
import dev.onshelf.simulators.load.ShopperLoad;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Single lookups at fixed concurrency against OnShelf, and the same against the bare baseline route. */
final class ApiBench {
    private ApiBench() {
    }

    /** Shoppers looking up Zipf-popular products of every store, at OnShelf's route or the baseline's. */
    static ShopperLoad load(Vertx vertx, int port, Workload workload, boolean baseline) {
        List<String> stores = new ArrayList<>();
        for (int s = 0; s < workload.stores(); s++) {
            stores.add(Workload.store(s));
        }
        List<String> gtins = workload.gtins().stream().map(Gtin::value).toList();
        return new ShopperLoad(vertx, "127.0.0.1", port, stores, gtins,
            baseline ? (s, g) -> "/b/" + s + "/" + g : (s, g) -> "/v1/stores/" + s + "/products/" + g, null);
    }

    /** Load that is not measured: the JIT and the connection pool of this concurrency settle. */
    static void warm(ShopperLoad load, int concurrency, long millis) throws Exception {
        load.run(concurrency, millis, 0, 1);
    }

    static LoadResult measure(ShopperLoad load, int concurrency, long millis) throws Exception {
        return load.run(concurrency, millis, 0, 2);
    }

    /** A warm-up, then the measured run. */
    static LoadResult run(ShopperLoad load, int concurrency, long warmupMillis, long millis) throws Exception {
        warm(load, concurrency, warmupMillis);
        return measure(load, concurrency, millis);
    }
}
