package dev.onshelf.simulators.bench;

/**
 * The sizes of one benchmark run. {@code quick} fits in about three minutes on 2 cores, {@code full}
 * in about fifteen.
 */
public record BenchOptions(boolean quick, int stores, int productsPerStore, int matsPerStore, int warmupEvents,
                           int ingestEvents, int publishers, long freshnessMillis, int freshnessSamples,
                           long apiWarmupMillis, long apiMillis, int apiConcurrency, int memoryPairs,
                           long accuracyHealthyMillis, long accuracyFaultsMillis) {

    public static BenchOptions quickRun() {
        return new BenchOptions(true, 20, 250, 10, 30_000, 60_000, 4, 15_000, 600,
            8_000, 10_000, 64, 200_000, 20_000, 30_000);
    }

    public static BenchOptions fullRun() {
        return new BenchOptions(false, 20, 500, 10, 100_000, 300_000, 4, 60_000, 2_500,
            20_000, 30_000, 64, 1_000_000, 90_000, 180_000);
    }
}
