package dev.onshelf.simulators.torture;

import dev.onshelf.core.model.Gtin;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads every product's book stock through the public API ({@code bookCount}), as a shopper's app would. */
final class Books {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final List<Gtin> gtins;

    Books(int httpPort, String store, List<Gtin> gtins) {
        this.base = "http://127.0.0.1:" + httpPort + "/v1/stores/" + store + "/products/";
        this.gtins = gtins;
    }

    /** Every product's book, in {@code gtins} order; empty when any read failed (OnShelf or Redis restarting). */
    Optional<long[]> read() throws InterruptedException {
        long[] books = new long[gtins.size()];
        for (int i = 0; i < books.length; i++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + gtins.get(i).value()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                Long book = r.statusCode() == 200 ? new JsonObject(r.body()).getLong("bookCount") : null;
                if (book == null) {
                    return Optional.empty();
                }
                books[i] = book;
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(books);
    }
}
