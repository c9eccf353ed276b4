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

    static LoadResult run(Vertx vertx, int port, Workload workload, boolean baseline, int concurrency,
                          long warmupMillis, long millis) throws Exception {
        List<String> stores = new ArrayList<>();
        for (int s = 0; s < workload.stores(); s++) {
            stores.add(Workload.store(s));
        }
        List<String> gtins = workload.gtins().stream().map(Gtin::value).toList();
        ShopperLoad load = new ShopperLoad(vertx, "127.0.0.1", port, stores, gtins,
            baseline ? (s, g) -> "/b/" + s + "/" + g : (s, g) -> "/v1/stores/" + s + "/products/" + g, null);
        load.run(concurrency, warmupMillis, 0, 1);
        return load.run(concurrency, millis, 0, 2);
    }
}
