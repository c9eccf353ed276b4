package dev.onshelf.simulators.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A second, tighter baseline: a plain Paho MQTT 5 subscriber with manual acks that acknowledges each
 * message at once and does nothing else — the ceiling of the client library OnShelf ingests with.
 */
final class PahoSink implements MqttCallback, AutoCloseable {
    private final MqttAsyncClient client;
    private CountDownLatch remaining;

    PahoSink(String url, int receiveMaximum) throws MqttException {
        client = new MqttAsyncClient(url, "bench-paho-sink", new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setReceiveMaximum(receiveMaximum);
        client.connect(o).waitForCompletion(10_000);
        client.subscribe("onshelf/v1/stores/+/+/+", 1).waitForCompletion(10_000);
    }

    double measure(BulkPublisher publishers, java.util.List<Workload.Message> batch) throws Exception {
        remaining = new CountDownLatch(batch.size());
        long started = System.nanoTime();
        publishers.publishAll(batch);
        if (!remaining.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Paho sink did not receive every message");
        }
        return batch.size() / ((System.nanoTime() - started) / 1e9);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
        client.messageArrivedComplete(message.getId(), message.getQos());
        remaining.countDown();
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
    }

    @Override
    public void deliveryComplete(IMqttToken t) {
    }

    @Override
    public void connectComplete(boolean reconnect, String uri) {
    }

    @Override
    public void authPacketArrived(int code, MqttProperties p) {
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(5_000);
        client.close();
    }
}
