package dev.onshelf.simulators.torture;

/**
 * The shape of one torture run: fault cycles (each kills Redis, kills an OnShelf gateway and restarts the
 * broker once), logical sales in all, tills publishing them, products sold, how long a cycle of the
 * paced stream lasts (the stream spans {@code cycles * cycleSeconds}), and how many sales a till
 * publishes at once before it waits for their acks, and every how many sales a till publishes one
 * twice (re-stamped, as a till retrying), Redis's AOF fsync policy ({@code everysec} by default) and
 * OnShelf's acknowledgement horizon ({@link #withAckHorizonMillis}), the gateway processes sharing
 * the ingest ({@link #withGateways}), and whether each cycle restarts the broker ({@link #withoutBrokerRestart}).
 */
public record TortureOptions(int cycles, long events, int publishers, int products, double cycleSeconds, int burst,
    int retryEvery, String appendfsync, int ackHorizonMillis, int gateways, boolean brokerRestart) {
    /** Units each product is primed with by a COUNT: the codec's largest quantity. */
    public static final long PRIMED = 100_000;
    public static final int DEFAULT_ACK_HORIZON_MS = 3_000;

    public TortureOptions {
        if (cycles < 1 || events < 1 || publishers < 4 || products < 1 || cycleSeconds <= 0 || cycleSeconds > 600
            || burst < 1
            || retryEvery < 0 || !(appendfsync.equals("everysec") || appendfsync.equals("always"))
            || ackHorizonMillis < 0 || ackHorizonMillis > 60_000 || gateways < 1 || gateways > 8) {
            throw new IllegalArgumentException("need cycles >= 1, events >= 1, publishers >= 4, products >= 1, "
                + "cycle seconds 0-600, burst >= 1, retry-every >= 0, appendfsync everysec or always, ack-horizon-ms 0-60000, gateways 1-8");
        }
        if (events / products >= PRIMED) {
            throw new IllegalArgumentException("at most " + (PRIMED - 1) * products + " events: a book must not "
                + "reach 0, or a lost sale could hide behind the floor");
        }
    }

    public static TortureOptions of(int cycles, long events) {
        return new TortureOptions(cycles, events, 4, 50, 15, 200, 20, "everysec", DEFAULT_ACK_HORIZON_MS, 1, true);
    }

    public TortureOptions withBurst(int sales) {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, sales, retryEvery, appendfsync,
            ackHorizonMillis, gateways, brokerRestart);
    }

    /** Every {@code n}th sale of a till is published twice, re-stamped (0: none). */
    public TortureOptions withRetryEvery(int n) {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, burst, n, appendfsync,
            ackHorizonMillis, gateways, brokerRestart);
    }

    /** Redis's AOF fsync policy: {@code everysec} (can lose acknowledged writes on a slow disk) or {@code always}. */
    public TortureOptions withAppendfsync(String policy) {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, burst, retryEvery, policy,
            ackHorizonMillis, gateways, brokerRestart);
    }

    /**
     * OnShelf's ONSHELF_MQTT_ACK_HORIZON_MS (0: acknowledge once Redis answered). The torture runs
     * OnShelf as production should run it on Redis 7.0 with AOF everysec: with the horizon of 3 s
     * (see RELIABILITY.md); {@code --ack-horizon-ms 0} shows Redis's own bound.
     */
    public TortureOptions withAckHorizonMillis(int millis) {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, burst, retryEvery, appendfsync,
            millis, gateways, brokerRestart);
    }

    /**
     * Gateway processes sharing the ingest through an MQTT 5 shared subscription (1: one {@code run}
     * node, no sharing). The first runs as {@code ./onshelf run} (ingest and the API the books are read
     * through), the others as {@code ./onshelf gateway}, each with its own client id and persistent
     * session; each cycle kills one of them -9, in turn, and restarts it with its client id.
     */
    public TortureOptions withGateways(int n) {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, burst, retryEvery, appendfsync,
            ackHorizonMillis, n, brokerRestart);
    }

    /**
     * Seconds a cycle of the paced stream lasts (15 by default): longer gives a slow gateway restart
     * room to end before the cycle's next fault, so every fault still strikes during the stream.
     */
    public TortureOptions withCycleSeconds(double seconds) {
        return new TortureOptions(cycles, events, publishers, products, seconds, burst, retryEvery, appendfsync,
            ackHorizonMillis, gateways, brokerRestart);
    }

    /**
     * Cycles without the broker restart (a gateway kill -9 and a Redis kill -9 only). For a shared
     * group on Mosquitto 2.0.x: it does not save shared subscriptions in its persistence file, so after
     * a restart the group is empty until a gateway subscribes again, and what devices publish meanwhile
     * is dropped by the broker ("no matching subscribers"; RELIABILITY.md, "Several gateways").
     */
    public TortureOptions withoutBrokerRestart() {
        return new TortureOptions(cycles, events, publishers, products, cycleSeconds, burst, retryEvery, appendfsync,
            ackHorizonMillis, gateways, false);
    }

    double streamSeconds() {
        return cycles * cycleSeconds;
    }
}
