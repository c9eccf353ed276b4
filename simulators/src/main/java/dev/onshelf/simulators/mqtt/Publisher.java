package dev.onshelf.simulators.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A thin asynchronous MQTT 5 publisher (Paho) for simulators and tests: QoS 1, completes on PUBACK. */
public final class Publisher implements AutoCloseable {
    private final MqttAsyncClient client;

    private Publisher(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects (blocking, at most 10 s); optionally with a will published if the connection dies. */
    public static Publisher connect(String url, String clientId, String willTopic, byte[] willPayload)
        throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5_000);
        options.setReceiveMaximum(1000);
        if (willTopic != null) {
            MqttMessage will = new MqttMessage(willPayload, 1, true, null);
            options.setWill(willTopic, will);
        }
        client.connect(options).waitForCompletion(10_000);
        return new Publisher(client);
    }

    public static Publisher connect(String url, String clientId) throws MqttException {
        return connect(url, clientId, null, null);
    }

    public CompletionStage<Void> publish(String topic, byte[] payload, boolean retained) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, payload, 1, retained, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    done.completeExceptionally(error);
                }
            });
        } catch (MqttException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    public CompletionStage<Void> publish(String topic, byte[] payload) {
        return publish(topic, payload, false);
    }

    /**
     * At-least-once from the device side: a publish that failed or was not acknowledged within 5 s (the
     * broker restarting, the connection down) is sent again, the same bytes, until {@code deadline}.
     */
    public void publishUntilAcked(String topic, byte[] payload, Duration deadline)
        throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        while (true) {
            try {
                publish(topic, payload).toCompletableFuture().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("publish to " + topic + " not acknowledged within " + deadline, e);
                }
                TimeUnit.MILLISECONDS.sleep(100);  // the device's retry interval
            }
        }
    }

    /** Drops the connection without a DISCONNECT packet, as a crash would: the broker sends the will. */
    public void kill() {
        try {
            client.disconnectForcibly(0, 1, false);
            client.close(true);
        } catch (MqttException e) {
            // it is gone either way
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
