package dev.onshelf.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.paho.mqttv5.client.logging.Logger;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

class PahoLoggingTest {
    @Test
    void pahoLogsThroughSlf4jWithItsCatalogAndNeverItsTracing() {
        PahoLogging.install();
        Logger log = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "org.eclipse.paho.mqttv5.client.internal.ClientComms");
        assertThat(log).isInstanceOf(PahoLogging.class);
        // a catalog key with its inserts, as Paho writes its messages
        assertThat(log.formatMessage("101", new Object[] {"gw-1", "tcp://127.0.0.1:1883", "none"}))
            .isEqualTo("<init> ClientID=gw-1 ServerURI=tcp://127.0.0.1:1883 PersistenceType=none");
        // config and tracing (key 103 carries the connection's password) are never logged
        assertThat(log.isLoggable(Logger.FINE)).isFalse();
        assertThat(log.isLoggable(Logger.CONFIG)).isFalse();
        assertThat(log.isLoggable(Logger.FINEST)).isFalse();
        assertThat(log.isLoggable(Logger.WARNING)).isTrue();
    }
}
