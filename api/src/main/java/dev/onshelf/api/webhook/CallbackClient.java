package dev.onshelf.api.webhook;

import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One webhook POST, made safely: the callback's host is resolved at every delivery, every address it
 * resolves to is checked ({@link CallbackAddresses}), and the connection goes to the address that was
 * checked (the host name still names the server: Host header, TLS SNI and certificate check), so a
 * second lookup cannot rebind the name to an internal address. Redirects are never followed: a 3xx
 * is just an unsuccessful answer. The response body is not read. Calls are rate-limited per host name
 * and per address (a wildcard DNS name cannot multiply one address's share).
 */
final class CallbackClient {
    static final int TIMEOUT_MS = 5_000;
    private final Vertx vertx;
    private final HttpClientAgent client;
    private final boolean allowPrivate;

    private final long perMinute;
    private final ConcurrentHashMap<String, Bucket> calls = new ConcurrentHashMap<>();

    /** A delivery not made now, because its host or address has had its calls for the minute. */
    static final class Deferred extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Deferred(String message) {
            super(message, null, false, false);
        }
    }

    CallbackClient(Vertx vertx, boolean allowPrivate, long perMinute) {
        this.vertx = vertx;
        this.allowPrivate = allowPrivate;
        this.perMinute = perMinute;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setIdleTimeout(5)
            .setKeepAlive(false).setMaxRedirects(0).setVerifyHost(true));
        vertx.setPeriodic(60_000, t -> calls.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= perMinute));
    }

    /**
     * The POST's status code; fails when the host does not resolve, is refused, or does not answer,
     * and with {@link Deferred} when the host or the address it resolves to has had its calls this minute.
     */
    Future<Integer> post(String url, Buffer body, Map<String, String> headers) {
        URI uri = URI.create(url);
        boolean https = "https".equals(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (!admit("host:" + host.toLowerCase(java.util.Locale.ROOT))) {
            return Future.failedFuture(new Deferred("calls to host " + host + " are at their limit this minute"));
        }
        return vertx.<List<InetAddress>>executeBlocking(() -> CallbackAddresses.resolve(host, allowPrivate))
            .compose(addresses -> admit("addr:" + addresses.get(0).getHostAddress()) ? Future.succeededFuture(addresses)
                : Future.failedFuture(new Deferred("calls to " + addresses.get(0).getHostAddress()
                    + " are at their limit this minute")))
            .compose(addresses -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(addresses.get(0), port)))
                .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).setPort(port)
                .setSsl(https).setURI(path).setFollowRedirects(false).setTimeout(TIMEOUT_MS)))
            .compose(request -> {
                headers.forEach(request::putHeader);
                return request.send(body);
            })
            .map(response -> {
                int status = response.statusCode();
                response.request().reset();  // the body is not wanted: do not wait for it
                return status;
            });
    }

    private boolean admit(String key) {
        return calls.computeIfAbsent(key, k -> Bucket.builder()
            .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build())
            .tryConsume(1);
    }
}
