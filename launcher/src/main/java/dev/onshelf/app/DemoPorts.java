package dev.onshelf.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import dev.onshelf.testkit.ServiceProcess;

/** The demo's HTTP port: the preferred one if it is free, else any free port. */
final class DemoPorts {
    private DemoPorts() {
    }

    static int preferred(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return port;
        } catch (IOException taken) {
            return ServiceProcess.freePort();
        }
    }
}
