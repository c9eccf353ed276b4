package dev.onshelf.gateway.mqtt;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.ingest.AlertSink;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.Topic;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
 * at QoS 1 to the v1 device topics, with manual acknowledgements. Paho's callback thread only hands
 * each message to {@code executor}; the PUBACK is sent when the pipeline says the effect is durable.
 */
public final class MqttIngest implements MqttCallback, AlertSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    public static final String[] FILTERS = {
        "onshelf/v1/stores/+/shelf/+", "onshelf/v1/stores/+/feed/+", "onshelf/v1/stores/+/status/+"};

    private final MqttSettings settings;
    private final Executor executor;
    private final MqttAsyncClient client;
    private final EventCodec codec = new EventCodec();
    private volatile BiFunction<String, byte[], CompletionStage<Void>> handler;

    public MqttIngest(MqttSettings settings, Executor executor) throws MqttException {
        this.settings = settings;
        this.executor = executor;
        this.client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
    }

    /** Connects and subscribes, handing each message to {@code handler}; completes when subscribed. */
    public CompletionStage<Void> start(BiFunction<String, byte[], CompletionStage<Void>> handler) {
        this.handler = handler;
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        options.setReceiveMaximum(settings.receiveMaximum());
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (settings.username() != null && !settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password() == null ? new byte[0]
                : settings.password().getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            client.connect(options, null, listener(connected));
        } catch (MqttException e) {
            connected.completeExceptionally(e);
        }
        return connected.thenCompose(v -> subscribe());
    }

    private CompletionStage<Void> subscribe() {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        String[] filters = new String[FILTERS.length];
        int[] qos = new int[FILTERS.length];
        for (int i = 0; i < FILTERS.length; i++) {
            filters[i] = shared(FILTERS[i]);
            qos[i] = 1;
        }
        try {
            client.subscribe(filters, qos, null, listener(subscribed));
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
        return client.isConnected();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        int id = message.getId();
        int qos = message.getQos();
        byte[] payload = message.getPayload();
        executor.execute(() -> handler.apply(topic, payload).whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("message left unacknowledged [topic: {}, error: {}]", topic, e.toString());
                return;
            }
            ack(id, qos);
        }));
    }

    private void ack(int id, int qos) {
        if (qos == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            // the connection dropped since: the broker redelivers and the duplicate is recognised
            LOG.debug("ack not sent [id: {}, error: {}]", id, e.toString());
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

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        if (reconnect) {
            LOG.info("reconnected [broker: {}]", serverURI);
            subscribe();
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
        // the gateway publishes nothing itself
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(6_000);
            }
            client.close(true);
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
}
