package dev.onshelf.gateway.mqtt;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.ingest.AlertSink;
import dev.onshelf.core.ingest.RefusalSink;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.Topic;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT ingest with Paho (MQTT 5): a persistent session (clean start off, stable client id) subscribed
 * at QoS 1 to the v1 device topics, with manual acknowledgements. Paho's callback thread only queues
 * each message and hands the queue to {@code executor} once per burst, at most {@link #PER_TURN} a
 * turn ({@link HandOff}); the PUBACK is sent when the handler says the effect is durable,
 * and in arrival order: only once every message received before it on the connection is durable too.
 *
 * <p>Paho's automatic reconnect can stall for good when the broker drops the connection while acks
 * are pending (seen with a Mosquitto restart under load). A watchdog replaces a client that stays
 * disconnected for {@link #STALL_SECONDS}: the new one resumes the same persistent session, so what
 * the broker queued meanwhile is delivered, and unacknowledged messages are redelivered (and
 * recognised as duplicates if they had been applied).
 */
public final class MqttIngest implements AlertSink, RefusalSink, AutoCloseable {
    static {
        PahoLogging.install();  // before the first client: Paho's log through SLF4J, a cheap logger per token
    }

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    static final int STALL_SECONDS = 10;
    /**
     * Messages handled per event-loop turn ({@link HandOff}): two of the pipeline's default batches, so a
     * turn's batches leave for Redis while the next turn decodes.
     */
    static final int PER_TURN = 2 * dev.onshelf.gateway.ingest.IngestPipeline.DEFAULT_BATCH;
    public static final String[] FILTERS = {
        "onshelf/v1/stores/+/shelf/+", "onshelf/v1/stores/+/feed/+", "onshelf/v1/stores/+/status/+"};

    private final MqttSettings settings;
    private final Executor executor;
    private final EventCodec codec = new EventCodec();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile BiFunction<String, byte[], CompletionStage<Void>> handler;
    private volatile MqttAsyncClient client;
    private volatile long disconnectedSince;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();

    private final DurabilityHorizon horizon;
    private final java.util.function.Supplier<CompletionStage<String>> storeRunId;

    public MqttIngest(MqttSettings settings, Executor executor) {
        this(settings, executor, () -> CompletableFuture.completedStage("-"));
    }

    /**
     * {@code storeRunId}: the store's server run id now (Redis INFO server's run_id), asked every
     * 100 ms when acknowledgements wait for a durability horizon.
     */
    public MqttIngest(MqttSettings settings, Executor executor,
                      java.util.function.Supplier<CompletionStage<String>> storeRunId) {
        this.settings = settings;
        this.executor = executor;
        this.storeRunId = storeRunId;
        this.horizon = settings.ackHorizonMillis() > 0
            ? new DurabilityHorizon(settings.ackHorizonMillis(), System::currentTimeMillis) : null;
    }

    /** Connects and subscribes, handing each message to {@code handler}; completes when subscribed. */
    public CompletionStage<Void> start(BiFunction<String, byte[], CompletionStage<Void>> handler) {
        this.handler = handler;
        watchdog.scheduleWithFixedDelay(this::checkConnection, 2, 2, TimeUnit.SECONDS);
        if (horizon != null) {
            storeRunId.get().whenComplete((id, e) -> horizon.storeIs(e == null ? id : null));
            watchdog.scheduleWithFixedDelay(this::releaseDurable, 100, 100, TimeUnit.MILLISECONDS);
        }
        return connect();
    }

    private CompletionStage<Void> connect() {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            MqttAsyncClient c = new MqttAsyncClient(settings.clientUrl(), settings.clientId(), new MemoryPersistence());
            c.setManualAcks(true);
            c.setCallback(new Callbacks(c));
            client = c;
            c.connect(options(), null, listener(connected));
            return connected.thenCompose(v -> subscribe(c));
        } catch (MqttException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setReceiveMaximum(settings.receiveMaximum());
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (settings.caFile() != null && !settings.caFile().isEmpty()) {
            options.setSocketFactory(PemTrust.socketFactory(java.nio.file.Path.of(settings.caFile())));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        if (settings.username() != null && !settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password() == null ? new byte[0]
                : settings.password().getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }

    private CompletionStage<Void> subscribe(MqttAsyncClient c) {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        String[] filters = new String[FILTERS.length];
        int[] qos = new int[FILTERS.length];
        for (int i = 0; i < FILTERS.length; i++) {
            filters[i] = shared(FILTERS[i]);
            qos[i] = 1;
        }
        try {
            c.subscribe(filters, qos, null, listener(subscribed));
        } catch (MqttException e) {
            subscribed.completeExceptionally(e);
        }
        return subscribed.thenRun(() -> LOG.info("subscribed [broker: {}, client: {}, filters: {}]",
            settings.url(), settings.clientId(), String.join(", ", filters)));
    }

    private String shared(String filter) {
        String group = settings.sharedGroup();
        return group == null || group.isEmpty() ? filter : "$share/" + group + "/" + filter;
    }

    public boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    /**
     * A safety valve, not flow control: with acks in arrival order the broker holds the receive
     * maximum, so this should never trip. Should a broker overrun it anyway, past {@code maxInFlight}
     * received and unfinished messages the gateway drops the connection (the persistent session keeps
     * queueing at the broker) and comes back when half are done. Messages finished meanwhile are
     * redelivered and recognised as duplicates.
     */
    private void received() {
        if (pending.incrementAndGet() > settings.maxInFlight() && paused.compareAndSet(false, true)) {
            LOG.warn("{} messages in flight: stepping off the broker until half are done", settings.maxInFlight());
            MqttAsyncClient c = client;
            watchdog.execute(() -> discard(c));
        }
    }

    private void finished() {
        if (pending.decrementAndGet() <= settings.maxInFlight() / 2 && paused.get() && !closed) {
            watchdog.execute(this::resume);
        }
    }

    private void resume() {
        if (paused.compareAndSet(true, false)) {
            LOG.info("back under {} messages in flight: reconnecting", settings.maxInFlight() / 2);
            connect().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("reconnect failed, the watchdog retries [error: {}]", e.toString());
                }
            });
        }
    }

    /**
     * Asks the store who it is and releases the acknowledgements that are due (DurabilityHorizon).
     * On the watchdog's own thread, never the event loop: it waits for the answer.
     */
    private void releaseDurable() {
        String id;
        try {
            id = storeRunId.get().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            id = null;  // the store cannot be asked: nothing is released
        }
        int again = horizon.tick(id);
        if (again > 0) {
            LOG.warn("the store restarted since it applied {} messages: applying them again before they are "
                + "acknowledged (those it kept are recognised as duplicates)", again);
        }
    }

    private void checkConnection() {
        if (paused.get()) {
            disconnectedSince = 0;
            return;
        }
        if (closed || isConnected()) {
            disconnectedSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (disconnectedSince == 0) {
            disconnectedSince = now;
        } else if (now - disconnectedSince > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
            LOG.warn("still disconnected after {} s: replacing the MQTT client [broker: {}]", STALL_SECONDS,
                settings.url());
            disconnectedSince = now;
            discard(client);
            connect().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("reconnect failed, will retry [error: {}]", e.toString());
                }
            });
        }
    }

    private static void discard(MqttAsyncClient c) {
        try {
            c.disconnectForcibly(0, 1, false);
        } catch (MqttException | RuntimeException e) {
            // it is being dropped anyway
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            // it is being dropped anyway
        }
    }

    @Override
    public CompletionStage<Void> publish(StoreId store, String gtin, AlertType type, long ts) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            client.publish(Topic.alerts(store), codec.encodeAlert(store.value(), gtin, type.code(), ts), 1, false,
                null, listener(sent));
        } catch (MqttException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /**
     * The device's error topic, QoS 0, not retained (see {@link RefusalSink}). QoS 0 on purpose: a QoS 1
     * publish on the ingest session takes a packet id and a place in the session's in-flight state
     * (kept and resent across reconnects), and with it the crash torture lost events (2,500 of 20,000
     * in three runs out of three, on a machine loaded to 10-30). At QoS 0, and with no error publishes at
     * all, it lost them in some runs: that cause was the durability horizon's out-of-order re-apply, fixed
     * by the store fence (RELIABILITY.md, "Under heavy load"); QoS 1 was not tried again. On by default
     * (ONSHELF_MQTT_DEVICE_ERRORS). An error notice is best effort anyway: the dead letter is the record.
     */
    @Override
    public CompletionStage<Void> refused(StoreId store, DeviceId device, String eventId, RejectReason reason,
                                         String detail) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        String topic = Topic.errors(store, device);
        try {
            client.publish(topic, codec.encodeRefusal(eventId, reason.code(), detail, System.currentTimeMillis()), 0,
                false, null, listener(sent));
        } catch (MqttException | RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(5_000).waitForCompletion(6_000);
            }
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("close [error: {}]", e.toString());
        }
    }

    private static MqttActionListener listener(CompletableFuture<Void> future) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                future.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
                future.completeExceptionally(error);
            }
        };
    }

    private record Arrival(String topic, byte[] payload, InOrderAcks.Entry entry) {
    }

    /**
     * One Paho client's callbacks: a message is acknowledged on the client that received it, in the
     * order that client received them ({@link InOrderAcks}).
     */
    private final class Callbacks implements MqttCallback {
        private final MqttAsyncClient owner;
        private final InOrderAcks acks;
        /** Received on Paho's thread, handed to the event loop a turn's worth at a time. */
        private final HandOff<Arrival> arrivals = new HandOff<>(executor, PER_TURN, this::handle);

        Callbacks(MqttAsyncClient owner) {
            this.owner = owner;
            this.acks = new InOrderAcks(this::ack);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            InOrderAcks.Entry entry = acks.arrived(message.getId(), message.getQos());
            received();
            arrivals.add(new Arrival(topic, message.getPayload(), entry));
        }

        private void handle(Arrival a) {
            String sentTo = horizon == null ? null : horizon.store();  // before the apply is sent
            CompletionStage<Void> handled;
            try {
                handled = handler.apply(a.topic(), a.payload());
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedStage(e);
            }
            handled.whenComplete((v, e) -> {
                finished();
                if (e != null) {
                    failed(a.topic(), e);
                } else if (horizon == null) {
                    acks.done(a.entry());
                } else {
                    horizon.applied(new DurabilityHorizon.Held() {
                        @Override
                        public void durable() {
                            acks.done(a.entry());
                        }

                        @Override
                        public void again() {  // the store restarted since: it may have lost this one
                            received();
                            executor.execute(() -> handle(a));
                        }
                    }, sentTo);
                }
            });
        }

        /**
         * A bug, not an outage (outages are retried inside the pipeline): acks go in arrival order, so
         * this message would hold back every later one. The connection is replaced instead, and the
         * broker redelivers everything unacknowledged (the applied ones are recognised as duplicates).
         */
        private void failed(String topic, Throwable e) {
            LOG.error("message could not be handled: replacing the connection so it comes again [topic: {}, error: {}]",
                topic, e.toString());
            if (!closed && owner == client) {
                watchdog.execute(() -> {
                    if (owner == client && !closed) {
                        discard(owner);
                        connect().whenComplete((x, error) -> {
                            if (error != null) {
                                LOG.warn("reconnect failed, the watchdog retries [error: {}]", error.toString());
                            }
                        });
                    }
                });
            }
        }

        private void ack(int id, int qos) {
            try {
                owner.messageArrivedComplete(id, qos);
            } catch (MqttException | RuntimeException e) {
                // the connection dropped since: the broker redelivers and the duplicate is recognised
                LOG.debug("ack not sent [id: {}, error: {}]", id, e.toString());
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                LOG.info("reconnected [broker: {}]", serverURI);
                subscribe(owner);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("disconnected from broker [reason: {}]", response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error [error: {}]", exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // alerts are tracked by their own listeners
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
