package dev.onshelf.simulators.store;

import dev.onshelf.core.model.Gtin;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground truth of one store: for each product, units on the shelf and in the books. Shelf mats
 * each watch a set of products (round robin); one till feed. Device ids carry the store id, since a
 * device belongs to exactly one store.
 */
public final class SimulatedStore {
    public final String id;
    public final String name;
    public final double lat;
    public final double lon;
    public final List<Product> products = new ArrayList<>();
    public final List<String> mats = new ArrayList<>();
    public final String till;

    public SimulatedStore(String id, String name, double lat, double lon, List<Gtin> gtins, int mats, int capacity) {
        this.id = id;
        this.name = name;
        this.lat = lat;
        this.lon = lon;
        this.till = id + "-till-1";
        for (int m = 1; m <= mats; m++) {
            this.mats.add(id + "-mat-" + m);
        }
        for (int i = 0; i < gtins.size(); i++) {
            products.add(new Product(gtins.get(i), this.mats.get(i % mats), "A" + (i + 1), capacity));
        }
    }

    /** One product's truth. Mutated only by the simulator's single thread. */
    public static final class Product {
        public final Gtin gtin;
        public final String mat;
        public final String location;
        public final int capacity;
        public int shelf;
        public long book;

        Product(Gtin gtin, String mat, String location, int capacity) {
            this.gtin = gtin;
            this.mat = mat;
            this.location = location;
            this.capacity = capacity;
            this.shelf = capacity;
            this.book = capacity * 3L;
        }
    }
}
