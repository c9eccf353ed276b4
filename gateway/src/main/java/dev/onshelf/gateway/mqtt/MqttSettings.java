package dev.onshelf.gateway.mqtt;

/**
 * How the gateway connects. {@code receiveMaximum} bounds the QoS 1 messages the broker may have in
 * flight to us unacknowledged: that is the ingest's backpressure. {@code sharedGroup}, when set,
 * subscribes as an MQTT 5 shared subscription so several gateways split the load. {@code maxInFlight}
 * is the gateway's own hard bound on received, unfinished messages: past it the gateway steps off
 * the broker (which keeps queueing for the persistent session) until half of them are done.
 * {@code caFile}, for an {@code ssl://} broker, is the PEM certificate authority to trust instead of
 * the JVM's trust store; the broker's host name is verified either way. {@code buffered}: a plain TCP
 * connection is read through a buffer ({@link BufferedTcpNetworkModuleFactory}). {@code ackHorizonMillis}
 * (0: off) holds each acknowledgement that long after the store applied the message, and applies it
 * again instead if the store restarted meanwhile ({@link DurabilityHorizon}).
 */
public record MqttSettings(String url, String clientId, String username, String password,
                           int receiveMaximum, long sessionExpirySeconds, String sharedGroup, int maxInFlight,
                           String caFile, boolean buffered, long ackHorizonMillis) {
    /** The URL Paho is given: the buffered module's scheme for plain TCP when {@code buffered}. */
    String clientUrl() {
        return buffered ? BufferedTcpNetworkModuleFactory.buffered(url) : url;
    }
}
