package dev.onshelf.api.http;

import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who may read {@code /metrics}, and what may be in it. With {@code ONSHELF_METRICS_TOKEN} set, only
 * requests with {@code Authorization: Bearer <that token>} (from anywhere); without it, only clients
 * on a loopback address (a local Prometheus agent or sidecar) — never the internet. No series carries
 * a value a client chose: the Vert.x HTTP/TCP client series (they were tagged with every webhook
 * callback's host:port) are off, and an HTTP method outside the standard ones is counted as "other".
 */
public final class MetricsAccess {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
        "TRACE", "CONNECT");

    private MetricsAccess() {
    }

    /** Vert.x metrics for the server side only. */
    public static MicrometerMetricsOptions options() {
        return new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
    }

    /**
     * Vert.x's {@code vertx.http.server.active.requests} is a gauge registered again on every request,
     * and Micrometer (1.17) checks each re-registration of a gauge and logs about it: ~10% of the API's
     * CPU in the bench's profile. Denied; {@code onshelf.api.requests.in.progress} (LoadShedder's
     * count, registered once) says the same.
     */
    public static MeterFilter perRequestGauges() {
        return MeterFilter.denyNameStartsWith("vertx.http.server.active.requests");
    }

    /** Keeps client-chosen values out of tags: unknown HTTP methods become "other". */
    public static MeterFilter tagHygiene() {
        return MeterFilter.replaceTagValues("method", m -> METHODS.contains(m) ? m : "other");
    }

    static Handler<RoutingContext> guard(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return ctx -> {
            if (token.isEmpty()) {
                if (!isLoopback(ctx.request().remoteAddress())) {
                    throw new ProblemException(403, "auth:metrics.local_only", "Forbidden",
                        "metrics are served to local clients only, unless ONSHELF_METRICS_TOKEN is set");
                }
            } else {
                String header = ctx.request().getHeader("Authorization");
                byte[] given = header == null || !header.startsWith("Bearer ") ? new byte[0]
                    : header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(given, expected)) {
                    throw new ProblemException(401, "auth:token.invalid", "Unauthorized",
                        "/metrics needs Authorization: Bearer <ONSHELF_METRICS_TOKEN>");
                }
            }
            ctx.next();
        };
    }

    private static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();  // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
