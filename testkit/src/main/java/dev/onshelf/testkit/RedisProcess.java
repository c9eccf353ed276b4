package dev.onshelf.testkit;

import java.util.ArrayList;
import java.util.List;

/** A real {@code redis-server} for tests; optionally with AOF ({@code appendfsync everysec} or {@code always}). */
public final class RedisProcess extends ServiceProcess {
    /** The AOF's fsync policy; empty: no AOF. */
    private final String appendfsync;
    private final String password;

    /** With AOF ({@code everysec}) or not; with {@code requirepass} when {@code password} is not empty. */
    public RedisProcess(boolean aof, String password) {
        this(aof ? "everysec" : "", password);
    }

    /** With AOF under {@code appendfsync} ({@code everysec}, {@code always}; empty: no AOF). */
    public RedisProcess(String appendfsync, String password) {
        super("redis-server");
        this.appendfsync = appendfsync;
        this.password = password;
    }

    public RedisProcess(boolean aof) {
        this(aof, "");
    }

    public RedisProcess() {
        this(false);
    }

    /** Blocks the server for {@code seconds} (DEBUG SLEEP): Redis made slow. Returns at once. */
    public void stall(double seconds) {
        try {
            new ProcessBuilder(locate("redis-cli"), "-p", Integer.toString(port), "--no-auth-warning", "-a", password,
                "DEBUG", "SLEEP", Double.toString(seconds))
                .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@link #stall}, returning once the server has stopped answering (a PING goes unanswered for 200 ms). */
    public void stallNow(double seconds) {
        stall(seconds);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
                s.setSoTimeout(200);
                s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getInputStream().read();  // answered: not stalled yet
            } catch (java.net.SocketTimeoutException stalled) {
                return;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("redis-server did not stall within 5 s");
    }

    public String url() {
        return "redis://" + (password.isEmpty() ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    @Override
    protected List<String> command(String path) {
        List<String> cmd = new ArrayList<>(List.of(path, "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(),
            "--hash-max-listpack-value", "256",
            "--enable-debug-command", "local"));  // DEBUG SLEEP makes Redis slow in fault tests
        if (!password.isEmpty()) {
            cmd.addAll(List.of("--requirepass", password));
        }
        if (!appendfsync.isEmpty()) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", appendfsync));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        return cmd;
    }
}
