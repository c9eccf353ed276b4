package dev.onshelf.gateway.mqtt;

/**
 * How the gateway connects. {@code receiveMaximum} bounds the QoS 1 messages the broker may have in
 * flight to us unacknowledged: that is the ingest's backpressure. {@code sharedGroup}, when set,
 * subscribes as an MQTT 5 shared subscription so several gateways split the load.
 */
public record MqttSettings(String url, String clientId, String username, String password,
                           int receiveMaximum, long sessionExpirySeconds, String sharedGroup) {
}
