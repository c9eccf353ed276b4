package dev.onshelf.api.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Who a request comes from, for the per-client limits. An {@code X-API-Key} names the client only when
 * it is a key the operator issued ({@link ApiKeys}); any other key is ignored and the address counts,
 * so a made-up key gains nothing (and costs no Redis call). The address is the connection's peer
 * ({@link ClientAddress}: IPv4, or IPv6 /64), unless the peer is one of the {@link TrustedProxies}:
 * then it is the right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy
 * (the entries left of it were written by the client and prove nothing). Resolved once per request.
 */
public final class ClientIdentity {
    /** A client: {@code key:ID} or {@code addr:ADDRESS}, with the key's own rate (0: the configured one). */
    public record Client(String id, long ratePerSecond) {
    }

    private static final String RESOLVED = "onshelf.client";
    private final TrustedProxies proxies;
    private final ApiKeys keys;

    public ClientIdentity(TrustedProxies proxies, ApiKeys keys) {
        this.proxies = proxies;
        this.keys = keys;
    }

    /** The client of the request: its issued API key, else its address. */
    public Client of(RoutingContext ctx) {
        Client known = ctx.get(RESOLVED);
        if (known != null) {
            return known;
        }
        ApiKeys.Key key = keys == null ? null : keys.find(ctx.request().getHeader("X-API-Key"));
        Client client = key != null ? new Client("key:" + key.id(), key.ratePerSecond())
            : new Client("addr:" + address(ctx.request()), 0);
        ctx.put(RESOLVED, client);
        return client;
    }

    /** The client's address (IPv4, or IPv6 /64), through trusted proxies. */
    public String address(HttpServerRequest request) {
        if (proxies.isEmpty()) {
            return ClientAddress.of(request.remoteAddress());  // the usual case: no parsing beyond IPv6
        }
        byte[] peer = request.remoteAddress() == null ? null : TrustedProxies.literal(request.remoteAddress().hostAddress());
        if (peer == null) {
            return ClientAddress.of(request.remoteAddress());
        }
        if (!proxies.contains(peer)) {
            return ClientAddress.of(peer);
        }
        List<String> headers = request.headers().getAll("X-Forwarded-For");
        byte[] client = peer;
        for (int h = headers.size() - 1; h >= 0; h--) {
            String[] hops = headers.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                byte[] hop = TrustedProxies.literal(hops[i]);
                if (hop == null) {
                    return ClientAddress.of(client);  // not an address: nothing to its left can be believed
                }
                client = hop;
                if (!proxies.contains(hop)) {
                    return ClientAddress.of(client);
                }
            }
        }
        return ClientAddress.of(client);  // every hop a trusted proxy: the left-most one
    }
}
