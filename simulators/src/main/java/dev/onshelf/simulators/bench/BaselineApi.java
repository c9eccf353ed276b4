package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * The API benchmark's baseline, run as its own JVM like OnShelf: a bare Vert.x Web route doing one
 * Lettuce read (HGET of the same product field) per request, on the same event-loop count. What
 * OnShelf adds on top of it (validation, the read script, the rules, JSON) is what the ratio measures.
 * Usage: {@code java -cp onshelf.jar dev.onshelf.simulators.bench.BaselineApi <port> <redisUrl>}
 */
public final class BaselineApi extends VerticleBase {
    private final int port;
    private final RedisAsyncCommands<String, String> redis;

    BaselineApi(int port, RedisAsyncCommands<String, String> redis) {
        this.port = port;
        this.redis = redis;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/b/:store/:gtin").handler(ctx -> {
            StoreId store = new StoreId(ctx.pathParam("store"));
            Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
            Future.fromCompletionStage(redis.hget(Keys.bucket(store, gtin), Keys.field(gtin)), vertx.getOrCreateContext())
                .onSuccess(v -> ctx.response().setStatusCode(v == null ? 404 : 200)
                    .putHeader("Content-Type", "application/json").end(v == null ? "{}" : v))
                .onFailure(ctx::fail);
        });
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        RedisConnector redis = new RedisConnector(args[1], Duration.ofSeconds(2));
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new BaselineApi(port, redis.connection().async()),
                new DeploymentOptions().setInstances(Math.max(1, Runtime.getRuntime().availableProcessors())))
            .toCompletionStage().toCompletableFuture().get();
        LoggerFactory.getLogger(BaselineApi.class).info("baseline listening [port: {}]", port);
    }
}
