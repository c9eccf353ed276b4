package dev.onshelf.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.internal.NetworkModule;
import org.eclipse.paho.mqttv5.client.internal.NetworkModuleService;
import org.junit.jupiter.api.Test;

/** Paho finds the buffered module by its scheme, and reads the socket through a buffer. */
class BufferedTcpNetworkModuleFactoryTest {

    @Test
    void onlyPlainTcpIsRewritten() {
        assertThat(BufferedTcpNetworkModuleFactory.buffered("tcp://broker:1883")).isEqualTo("onshelf-tcp://broker:1883");
        assertThat(BufferedTcpNetworkModuleFactory.buffered("ssl://broker:8883")).isEqualTo("ssl://broker:8883");
        assertThat(BufferedTcpNetworkModuleFactory.buffered("ws://broker:80")).isEqualTo("ws://broker:80");
    }

    @Test
    void pahoConnectsThroughTheBufferedModuleAndReadsWhatWasSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "onshelf-tcp://127.0.0.1:" + server.getLocalPort();
            NetworkModuleService.validateURI(url);
            NetworkModule module = NetworkModuleService.createInstance(url, new MqttConnectionOptions(), "t");
            module.start();
            try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                out.write(new byte[] {(byte) 0xD0, 0x00, (byte) 0xD0, 0x00});  // two PINGRESPs in one write
                out.flush();
                InputStream in = module.getInputStream();
                assertThat(in).isInstanceOf(BufferedInputStream.class).isSameAs(module.getInputStream());
                byte[] got = in.readNBytes(4);
                assertThat(got).containsExactly((byte) 0xD0, 0x00, (byte) 0xD0, 0x00);
            } finally {
                module.stop();
            }
        }
    }
}
