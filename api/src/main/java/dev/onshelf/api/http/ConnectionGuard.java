package dev.onshelf.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Bounds what one client can hold open on the HTTP server: at most {@code perAddress} connections per
 * client (address, IPv6 /64; more are closed at once), and a request's headers must be complete
 * within {@code headerTimeoutMillis} of the connection opening or of the previous response ending,
 * else the connection is closed. The idle timeout alone does not do it: a client trickling a byte at
 * a time is never idle. A sweep a few times per timeout finds the late ones, so a connection is closed
 * between 1 and 1.25 timeouts after it started waiting. One instance per verticle: its connections are
 * all served on its event loop, so the table needs no locking.
 */
final class ConnectionGuard {
    private final ClientQuota quota;
    private final long headerTimeoutMillis;
    private final Map<HttpConnection, Slot> open = new HashMap<>();

    /** A connection's request in progress (null: waiting for one) and since when it has been waiting. */
    private static final class Slot {
        HttpServerRequest current;
        long waitingSince;

        Slot(long now) {
            this.waitingSince = now;
        }
    }

    ConnectionGuard(Vertx vertx, int perAddress, long headerTimeoutMillis) {
        this.quota = ClientQuota.shared(vertx, "connections", perAddress);
        this.headerTimeoutMillis = headerTimeoutMillis;
        vertx.setPeriodic(Math.max(25, headerTimeoutMillis / 4), t -> sweep(System.currentTimeMillis()));
    }

    void connected(HttpConnection connection) {
        String client = ClientAddress.of(connection.remoteAddress());
        if (!quota.tryAcquire(client)) {
            connection.close();
            return;
        }
        open.put(connection, new Slot(System.currentTimeMillis()));
        connection.closeHandler(v -> {
            open.remove(connection);
            quota.release(client);
        });
    }

    /** A request's headers have arrived: its connection is busy until the response has ended. */
    void request(HttpServerRequest request) {
        Slot slot = open.get(request.connection());
        if (slot != null) {
            slot.current = request;
        }
    }

    private void sweep(long now) {
        for (Iterator<Map.Entry<HttpConnection, Slot>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HttpConnection, Slot> e = it.next();
            Slot slot = e.getValue();
            if (slot.current != null && slot.current.response().ended()) {
                slot.current = null;
                slot.waitingSince = now;
            }
            if (slot.current == null && now - slot.waitingSince >= headerTimeoutMillis) {
                it.remove();
                e.getKey().close();
            }
        }
    }
}
