package dev.onshelf.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something (connections, change streams) each client holds at once, bounded. One
 * instance per process and purpose, shared by every event loop through Vert.x's local map, so the
 * bound does not grow with the number of event loops.
 */
public final class ClientQuota implements Shareable {
    private final int max;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    private ClientQuota(int max) {
        this.max = max;
    }

    /** The process's quota for {@code purpose}, at most {@code max} per client. */
    public static ClientQuota shared(Vertx vertx, String purpose, int max) {
        LocalMap<String, ClientQuota> map = vertx.sharedData().getLocalMap("onshelf.client.quota");
        ClientQuota fresh = new ClientQuota(max);
        ClientQuota prior = map.putIfAbsent(purpose, fresh);
        return prior != null ? prior : fresh;
    }

    public int max() {
        return max;
    }

    /** Takes one for {@code client}; false (and nothing taken) when it already holds {@code max}. */
    public boolean tryAcquire(String client) {
        boolean[] taken = {false};
        held.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives one back (once per successful {@link #tryAcquire}). */
    public void release(String client) {
        held.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    public int held(String client) {
        return held.getOrDefault(client, 0);
    }
}
