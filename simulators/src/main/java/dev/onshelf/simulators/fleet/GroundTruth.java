package dev.onshelf.simulators.fleet;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Units really on each shelf, at every moment: what a perfect answer would say. Thread-safe. */
public final class GroundTruth {
    private final ConcurrentHashMap<String, AtomicInteger> shelf = new ConcurrentHashMap<>();

    private static String key(String store, String gtin) {
        return store + "/" + gtin;
    }

    public void set(String store, String gtin, int units) {
        shelf.computeIfAbsent(key(store, gtin), k -> new AtomicInteger()).set(units);
    }

    /** Units on the shelf now, or -1 if the product is not stocked there. */
    public int units(String store, String gtin) {
        AtomicInteger v = shelf.get(key(store, gtin));
        return v == null ? -1 : v.get();
    }
}
