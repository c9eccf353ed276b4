package dev.onshelf.aggregator.redis;

import dev.onshelf.core.catalog.Product;
import dev.onshelf.core.catalog.SearchTerms;
import dev.onshelf.core.model.Gtin;
import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The product catalogue in Redis (layout in {@link Keys}): entries by GTIN, and a search by words
 * and word prefixes of name and brand, best match first (scores from {@link SearchTerms}).
 */
public final class CatalogStore {
    private static final String[] FIELDS = {"name", "brand", "size", "category", "imageUrl"};
    private final RedisClusterAsyncCommands<String, String> redis;
    private final LuaScript put = LuaScript.fromClasspath("catalog_put.lua");
    private final LuaScript search = LuaScript.fromClasspath("catalog_search.lua");

    public CatalogStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** A product found by a search, with its rank (higher is better). */
    public record Hit(Product product, double score) {
    }

    /** Creates or replaces an entry and its search terms, atomically; completes with true if it was new. */
    public CompletionStage<Boolean> put(Product p) {
        List<String> args = new ArrayList<>(List.of(p.gtin().value(), Keys.searchTerm("")));
        List<String> fields = new ArrayList<>();
        String[] values = {p.name(), p.brand(), p.size(), p.category(), p.imageUrl()};
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] != null) {
                fields.add(FIELDS[i]);
                fields.add(values[i]);
            }
        }
        args.add(Integer.toString(fields.size() / 2));
        args.addAll(fields);
        SearchTerms.index(p).forEach((term, score) -> {
            args.add(term);
            args.add(Long.toString(score));
        });
        return put.run(redis, new String[] {Keys.product(p.gtin())}, args.toArray(String[]::new))
            .thenApply(CatalogStore::existedBefore).thenApply(existed -> !existed);
    }

    /** Removes an entry and its search terms; completes with true if it existed. */
    public CompletionStage<Boolean> delete(Gtin gtin) {
        return put.run(redis, new String[] {Keys.product(gtin)}, gtin.value(), Keys.searchTerm(""), "0")
            .thenApply(CatalogStore::existedBefore);
    }

    private static boolean existedBefore(Object reply) {
        // the script returns an integer; MULTI output wraps it in a list
        Object v = reply instanceof List<?> l && !l.isEmpty() ? l.get(0) : reply;
        return v instanceof Number n && n.longValue() == 1;
    }

    public CompletionStage<Optional<Product>> get(Gtin gtin) {
        return redis.hmget(Keys.product(gtin), FIELDS).thenApply(values -> Optional.ofNullable(product(gtin, values)));
    }

    /**
     * Products matching every word of the query (as a word or a word prefix), best first, at most
     * {@code limit}, with their entries: one script, one round trip. An empty list when the query
     * has no searchable word.
     */
    public CompletionStage<List<Hit>> search(String query, int limit) {
        List<String> terms = SearchTerms.query(query);
        if (terms.isEmpty()) {
            return CompletableFuture.completedStage(List.of());
        }
        String[] keys = new String[terms.size() + 1];
        keys[0] = Keys.SEARCH_SCRATCH;
        for (int i = 0; i < terms.size(); i++) {
            keys[i + 1] = Keys.searchTerm(terms.get(i));
        }
        return search.run(redis, keys, Integer.toString(limit), Keys.PRODUCTS).thenApply(reply -> {
            List<Hit> hits = new ArrayList<>();
            for (int i = 0; i + 6 < reply.size(); i += 7) {
                String[] f = new String[5];
                for (int j = 0; j < 5; j++) {
                    String v = (String) reply.get(i + 2 + j);
                    f[j] = v.isEmpty() ? null : v;
                }
                hits.add(new Hit(new Product(new Gtin((String) reply.get(i)), f[0], f[1], f[2], f[3], f[4]),
                    Double.parseDouble((String) reply.get(i + 1))));
            }
            return hits;
        });
    }

    private static Product product(Gtin gtin, List<KeyValue<String, String>> values) {
        if (values.isEmpty() || !values.get(0).hasValue()) {
            return null;
        }
        String[] v = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            v[i] = values.get(i).getValueOrElse(null);
        }
        return new Product(gtin, v[0], v[1], v[2], v[3], v[4]);
    }
}
