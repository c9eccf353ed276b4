package dev.onshelf.gateway.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.eclipse.paho.mqttv5.client.internal.TCPNetworkModule;
import org.eclipse.paho.mqttv5.client.spi.NetworkModuleFactory;

/**
 * Plain TCP to the broker, read through a buffer. Paho's receiver reads each packet's fixed header a
 * byte at a time (MqttInputStream: readByte, then the remaining length byte by byte) straight from
 * the socket: three or four {@code recv} calls per message. Buffered, a burst of messages costs one.
 * Paho picks a network module by URI scheme through its {@link NetworkModuleFactory} extension point
 * (ServiceLoader); this one answers to {@value #SCHEME}, which the gateway uses in place of
 * {@code tcp} (see {@link MqttIngest}), so which factory wins for {@code tcp} never depends on
 * classpath order.
 */
public final class BufferedTcpNetworkModuleFactory implements NetworkModuleFactory {
    public static final String SCHEME = "onshelf-tcp";
    static final int BUFFER_BYTES = 64 * 1024;

    /** {@code tcp://host:port} read through a buffer; any other URL as it is. */
    public static String buffered(String url) {
        return url.startsWith("tcp://") ? SCHEME + "://" + url.substring("tcp://".length()) : url;
    }

    @Override
    public Set<String> getSupportedUriSchemes() {
        return Set.of(SCHEME);
    }

    @Override
    public void validateURI(URI brokerUri) {
        String path = brokerUri.getPath();
        if (path != null && !path.isEmpty()) {
            throw new IllegalArgumentException("URI path must be empty \"" + brokerUri + "\"");
        }
    }

    @Override
    public NetworkModule createNetworkModule(URI brokerUri, MqttConnectionOptions options, String clientId) {
        int port = brokerUri.getPort() == -1 ? 1883 : brokerUri.getPort();
        SocketFactory factory = options.getSocketFactory();
        if (factory == null || factory instanceof SSLSocketFactory) {
            factory = SocketFactory.getDefault();
        }
        TCPNetworkModule module = new Buffered(factory, brokerUri.getHost(), port, clientId);
        module.setConnectTimeout(options.getConnectionTimeout());
        return module;
    }

    private static final class Buffered extends TCPNetworkModule {
        private InputStream in;

        Buffered(SocketFactory factory, String host, int port, String clientId) {
            super(factory, host, port, clientId);
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
            }
            return in;
        }
    }
}
