package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One client cannot hold the server's connections: change streams per client are capped, a request
 * whose headers trickle in is cut off, and connections per address are capped. Raw sockets, as an
 * attacker would use.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class ConnectionLimitsIT {

    @Test
    void changeStreamsPerClientAreCapped(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "limits-http-1",
            Map.of("ONSHELF_SSE_STREAMS_PER_CLIENT", "2"))) {
            node.http().admin("/v1/admin/stores/CL1", "{\"name\": \"CL1\", \"lat\": 1, \"lon\": 1}");
            List<Socket> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket s = request(node.port(), "/v1/stores/CL1/changes");
                    assertThat(head(s)).startsWith("HTTP/1.1 200");
                    streams.add(s);
                }
                Socket third = request(node.port(), "/v1/stores/CL1/changes");
                String refused = head(third);
                assertThat(refused).startsWith("HTTP/1.1 429");
                third.close();
                // a stream that ends gives its place back
                streams.remove(0).close();
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    Socket s = request(node.port(), "/v1/stores/CL1/changes");
                    boolean ok = head(s).startsWith("HTTP/1.1 200");
                    streams.add(s);
                    return ok;
                });
            } finally {
                for (Socket s : streams) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aRequestWhoseHeadersTrickleInIsCutOff(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "limits-http-2",
            Map.of("ONSHELF_HTTP_HEADER_TIMEOUT_MS", "1000"));
             Socket s = new Socket("127.0.0.1", node.port())) {
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                // given a client that sends its request line and then one header byte every 100 ms (never idle)
                s.getOutputStream().write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                trickle.scheduleAtFixedRate(() -> {
                    try {
                        s.getOutputStream().write('X');
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed by the server: the point
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                // then the server closes the connection within the header timeout (plus the sweep), not at 60 s
                long started = System.nanoTime();
                s.setSoTimeout(10_000);
                assertThat(readToEnd(s.getInputStream())).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            } finally {
                trickle.shutdownNow();
            }
        }
    }

    @Test
    void connectionsPerAddressAreCapped(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "limits-http-3",
            Map.of("ONSHELF_HTTP_CONNECTIONS_PER_ADDRESS", "3"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = request(node.port(), "/health/live");
                    assertThat(head(s)).startsWith("HTTP/1.1 200");
                    held.add(s);  // kept open (keep-alive)
                }
                // when the address opens one more, it is closed without an answer
                try (Socket fourth = request(node.port(), "/health/live")) {
                    fourth.setSoTimeout(5_000);
                    assertThat(readToEnd(fourth.getInputStream())).isEmpty();
                }
                // and once one is closed, a new one is served
                held.remove(0).close();
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                    try (Socket s = request(node.port(), "/health/live")) {
                        return head(s).startsWith("HTTP/1.1 200");
                    }
                });
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static Socket request(int port, String path) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** The status line and headers of the answer, or "" if the server closed the connection first. */
    private static String head(Socket s) throws IOException {
        StringBuilder out = new StringBuilder();
        InputStream in = s.getInputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.append((char) b);
            if (out.length() >= 4 && out.substring(out.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return out.toString();
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";  // reset by the server: closed all the same
        } catch (SocketTimeoutException e) {
            return "(still open after the socket timeout)";
        }
    }
}
