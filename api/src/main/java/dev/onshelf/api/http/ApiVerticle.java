package dev.onshelf.api.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the router; one instance per event loop, each built by the supplied factory. */
public final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    private final ApiSettings settings;
    private final Function<Vertx, Router> routes;
    private HttpServer server;

    public ApiVerticle(ApiSettings settings, Function<Vertx, Router> routes) {
        this.settings = settings;
        this.routes = routes;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
            .setIdleTimeout(60).setCompressionSupported(true)
            // gzip for pages, scripts and long lists; an availability answer (~300 bytes) goes as it is:
            // compressing it costs more CPU than the bytes it saves
            .setCompressionContentSizeThreshold(1024)
            // no WebSockets are served: without these, Netty's WebSocket extension handler is not in every
            // connection's pipeline looking at every response (it showed in the API's profile)
            .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false)
            .setHttp2ClearTextEnabled(false);  // no h2c: nothing needs it, and it is one more parser to expose
        if (settings.tlsCertFile() != null && !settings.tlsCertFile().isEmpty()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(settings.tlsCertFile()).setKeyPath(settings.tlsKeyFile()));
        }
        server = vertx.createHttpServer(options);
        ConnectionGuard guard = new ConnectionGuard(vertx, settings.hardening().connectionsPerAddress(),
            settings.hardening().headerTimeoutMillis());
        Router router = routes.apply(vertx);
        return server.connectionHandler(guard::connected).requestHandler(request -> {
            guard.request(request);
            router.handle(request);
        }).listen()
            .onSuccess(s -> LOG.info("API listening [port: {}, tls: {}]", s.actualPort(), options.isSsl()));
    }

    public int actualPort() {
        return server.actualPort();
    }
}
