package dev.onshelf.simulators.fleet;

import dev.onshelf.core.model.Gtin;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated store and its truth: products with units on the shelf and in the books, shelf mats
 * (each watching some products) and a till. Device ids carry the store id: a device belongs to
 * exactly one store. Mutated only by the simulator's thread; the shelf truth is mirrored into
 * {@link GroundTruth} for readers on other threads.
 */
public final class SimStore {
    public final String id;
    public final String name;
    public final double lat;
    public final double lon;
    public final List<Product> products = new ArrayList<>();
    public final List<SimDevice> mats = new ArrayList<>();
    public final SimDevice till;

    public SimStore(StoreSpec spec, List<Gtin> gtins, int mats, int capacity) {
        this.id = spec.id();
        this.name = spec.name();
        this.lat = spec.lat();
        this.lon = spec.lon();
        for (int m = 1; m <= mats; m++) {
            this.mats.add(new SimDevice(id + "-mat-" + m, id, "shelf"));
        }
        this.till = new SimDevice(id + "-till-1", id, "feed");
        for (int i = 0; i < gtins.size(); i++) {
            products.add(new Product(gtins.get(i), this.mats.get(i % mats), "A" + (i + 1), capacity));
        }
    }

    /** A store to simulate: its code, name and location. */
    public record StoreSpec(String id, String name, double lat, double lon) {
    }

    /** One product's truth in one store. */
    public static final class Product {
        public final Gtin gtin;
        public final SimDevice mat;
        public final String location;
        public final int capacity;
        public int shelf;
        public long book;
        int stolen;
        boolean dirty = true;

        Product(Gtin gtin, SimDevice mat, String location, int capacity) {
            this.gtin = gtin;
            this.mat = mat;
            this.location = location;
            this.capacity = capacity;
            this.shelf = capacity;
            this.book = capacity * 3L;
        }
    }
}
