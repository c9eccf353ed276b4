package dev.onshelf.simulators.bench;

import java.util.List;

/**
 * The sizes of one benchmark run. {@code quick} fits in about five minutes on 2 cores, {@code full}
 * in about seventeen. The scaling points (ingest with 1, 2 and 4 publishers, the API at 16, 64 and
 * 256 connections) are shorter than the main figures, except the main points themselves (4
 * publishers, 64 connections), which are the main figures.
 */
public record BenchOptions(boolean quick, int stores, int productsPerStore, int matsPerStore, int warmupEvents,
                           int ingestEvents, int publishers, long freshnessMillis, int freshnessSamples,
                           long apiWarmupMillis, long apiMillis, int apiConcurrency, int memoryPairs,
                           long accuracyHealthyMillis, long accuracyFaultsMillis, int scalingIngestEvents,
                           long scalingApiWarmupMillis, long scalingApiMillis, boolean profile, Lever lever) {
    /** Publisher connections of the ingest scaling rows. */
    public static final List<Integer> SCALING_PUBLISHERS = List.of(1, 2, 4);
    /** HTTP connections of the API scaling rows. */
    public static final List<Integer> SCALING_CONNECTIONS = List.of(16, 64, 256);

    public static BenchOptions quickRun() {
        return new BenchOptions(true, 20, 250, 10, 30_000, 60_000, 4, 15_000, 600,
            8_000, 10_000, 64, 200_000, 20_000, 30_000, 30_000, 2_000, 5_000, true, Lever.NONE);
    }

    public static BenchOptions fullRun() {
        return new BenchOptions(false, 20, 500, 10, 100_000, 300_000, 4, 60_000, 2_500,
            20_000, 30_000, 64, 1_000_000, 90_000, 180_000, 100_000, 5_000, 15_000, true, Lever.NONE);
    }

    /** With or without a JFR recording of OnShelf during the ingest and API phases. */
    public BenchOptions withProfile(boolean on) {
        return new BenchOptions(quick, stores, productsPerStore, matsPerStore, warmupEvents, ingestEvents, publishers,
            freshnessMillis, freshnessSamples, apiWarmupMillis, apiMillis, apiConcurrency, memoryPairs,
            accuracyHealthyMillis, accuracyFaultsMillis, scalingIngestEvents, scalingApiWarmupMillis, scalingApiMillis,
            on, lever);
    }

    /** With a label and environment variables for OnShelf's process: one side of a lever's A/B. */
    public BenchOptions withLever(Lever l) {
        return new BenchOptions(quick, stores, productsPerStore, matsPerStore, warmupEvents, ingestEvents, publishers,
            freshnessMillis, freshnessSamples, apiWarmupMillis, apiMillis, apiConcurrency, memoryPairs,
            accuracyHealthyMillis, accuracyFaultsMillis, scalingIngestEvents, scalingApiWarmupMillis, scalingApiMillis,
            profile, l);
    }
}
