package dev.onshelf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server process (redis-server, mosquitto) on a free loopback port, in its own temporary
 * directory, that a test can stop, kill -9 and start again on the same port.
 */
public abstract class ServiceProcess implements AutoCloseable {
    private final String binary;
    protected final int port;
    protected final Path dir;
    private Process process;

    protected ServiceProcess(String binary) {
        this(binary, restartablePort());
    }

    /** On a port the caller chose (e.g. one whose companion port is also free). */
    protected ServiceProcess(String binary, int port) {
        this.binary = binary;
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("onshelf-" + binary + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected abstract List<String> command(String binaryPath);

    /** The server binary to run: the installed one by default (a subclass may let the environment choose). */
    protected String binaryPath() {
        return locate(binary);
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The server's process id while it runs (the bench reads its CPU time from /proc); -1 otherwise. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        String path = binaryPath();
        try {
            process = new ProcessBuilder(command(path))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("process.log").toFile()))
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        awaitPort(Duration.ofSeconds(15));
        return this;
    }

    /** SIGKILL: no shutdown hooks, no flush beyond what the server already did. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM and wait. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitFor();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(binary + " exited at start; see " + dir.resolve("process.log")
                    + ":\n" + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException(binary + " did not listen on " + port + " within " + timeout);
    }

    private String tail() {
        try {
            return Files.readString(dir.resolve("process.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String locate(String binary) {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")) {
            Path p = Path.of(d, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String pathEnv = System.getenv().getOrDefault("PATH", "");
        for (String d : pathEnv.split(":")) {
            Path p = Path.of(d, binary);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(binary + " is not installed. The integration tests need real "
            + "redis-server and mosquitto, the browser tests chromium and chromium-driver: run ./onshelf test "
            + "(installs them with apt-get) or apt-get install redis-server mosquitto mosquitto-clients chromium "
            + "chromium-driver");
    }

    /**
     * A free loopback port below the kernel's ephemeral range, for a server that is killed and started
     * again on the same port: a port from the ephemeral range can be taken, while its server is down,
     * as the local port of some outgoing connection (seen with OnShelf's HTTP port after a kill -9), and
     * the restart then fails with "Address already in use".
     */
    public static int restartablePort() {
        int below = ephemeralLow();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(10_000, Math.max(10_001, below));
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        return anyFreePort();
    }

    /**
     * A free loopback port like {@link #restartablePort} whose companion {@code port + offset} is free
     * and below the ephemeral range too (a Redis Cluster node listens on its port + 10000 as well).
     */
    public static int restartablePortWithCompanion(int offset) {
        int below = ephemeralLow() - offset;
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int candidate = random.nextInt(10_000, Math.max(10_001, below));
            if (bindable(candidate) && bindable(candidate + offset)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free pair of ports " + offset + " apart below the ephemeral range");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int ephemeralLow() {
        // read as a stream: /proc files report size 0, and Files.readString then reads a truncated text
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            int low = Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                .trim().split("\\s+")[0]);
            return low > 11_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;  // Linux's default
        }
    }

    /**
     * A free loopback port for a server the caller starts next: below the ephemeral range
     * ({@link #restartablePort}). A port the kernel hands out for a bind to 0 is an ephemeral one, which an
     * outgoing connection made meanwhile (the server's own, to Redis or the broker) may take as its local
     * port before the server binds it: {@code DemoIT} failed so, "Address already in use".
     */
    public static int freePort() {
        return restartablePort();
    }

    /** Any free loopback port, from the kernel (ephemeral: see {@link #freePort}). */
    private static int anyFreePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
