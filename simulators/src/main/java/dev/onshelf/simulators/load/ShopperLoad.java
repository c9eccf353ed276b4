package dev.onshelf.simulators.load;

import dev.onshelf.simulators.fleet.GroundTruth;
import dev.onshelf.simulators.fleet.Zipf;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.HdrHistogram.Recorder;

/**
 * Shoppers: a closed loop of {@code concurrency} outstanding HTTP lookups of Zipf-popular products,
 * latency in an HdrHistogram and, when a ground truth is given, every answer judged against the
 * shelf's truth at the moment the request was sent.
 */
public final class ShopperLoad {
    private final Vertx vertx;
    private final String host;
    private final int port;
    private final List<String> stores;
    private final List<String> gtins;
    private final BiFunction<String, String, String> path;
    private final GroundTruth truth;

    public ShopperLoad(Vertx vertx, String host, int port, List<String> stores, List<String> gtins,
                       BiFunction<String, String, String> path, GroundTruth truth) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.stores = List.copyOf(stores);
        this.gtins = List.copyOf(gtins);
        this.path = path;
        this.truth = truth;
    }

    /** Runs for {@code millis}; at most {@code maxPerSecond} requests a second (0: as fast as answered). */
    public LoadResult run(int concurrency, long millis, int maxPerSecond, long seed) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
            .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
        Recorder latency = new Recorder(3);
        LoadResult.Counts counts = new LoadResult.Counts();
        AtomicBoolean running = new AtomicBoolean(true);
        Zipf popularity = new Zipf(gtins.size(), 1.0);
        long started = System.nanoTime();
        long perRequestNanos = maxPerSecond > 0 ? TimeUnit.SECONDS.toNanos(concurrency) / maxPerSecond : 0;
        CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
        for (int i = 0; i < concurrency; i++) {
            SplittableRandom random = new SplittableRandom(seed + i);
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops[i] = done;
            vertx.runOnContext(v -> loop(client, random, popularity, latency, counts, running, perRequestNanos, done));
        }
        vertx.setTimer(millis, t -> running.set(false));
        CompletableFuture.allOf(loops).get(millis + 30_000, TimeUnit.MILLISECONDS);
        long elapsed = System.nanoTime() - started;
        client.close();
        return new LoadResult(latency.getIntervalHistogram(), counts, elapsed);
    }

    private void loop(HttpClient client, SplittableRandom random, Zipf popularity, Recorder latency,
                      LoadResult.Counts counts, AtomicBoolean running, long paceNanos, CompletableFuture<Void> done) {
        if (!running.get()) {
            done.complete(null);
            return;
        }
        String store = stores.get(random.nextInt(stores.size()));
        String gtin = gtins.get(popularity.next(random));
        int truthAtSend = truth == null ? 0 : truth.units(store, gtin);
        long sent = System.nanoTime();
        client.request(HttpMethod.GET, path.apply(store, gtin))
            .compose(req -> req.send().compose(resp -> resp.body().map(body -> {
                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                if (resp.statusCode() != 200) {
                    counts.errors.increment();
                } else {
                    counts.ok.increment();
                    if (truth != null) {
                        counts.judge(new JsonObject(body).getValue("onShelf"), truthAtSend);
                    }
                }
                return null;
            })))
            .onComplete(ar -> {
                if (ar.failed()) {
                    counts.errors.increment();
                }
                long wait = paceNanos - (System.nanoTime() - sent);
                if (wait > 1_000_000) {
                    vertx.setTimer(wait / 1_000_000, t ->
                        loop(client, random, popularity, latency, counts, running, paceNanos, done));
                } else {
                    loop(client, random, popularity, latency, counts, running, paceNanos, done);
                }
            });
    }
}
