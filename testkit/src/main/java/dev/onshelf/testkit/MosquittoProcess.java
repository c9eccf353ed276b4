package dev.onshelf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code mosquitto} for tests. The queue limits are raised for the ingest session: with
 * Mosquitto's defaults (max_queued_messages 1000) a subscriber that falls behind loses QoS 1
 * messages. Nagle is off (set_tcp_nodelay) so QoS 0/1 latency is not 20 ms.
 *
 * <p>The broker is the installed {@code mosquitto} (Debian's) unless {@value #BINARY_VARIABLE} names
 * another binary, e.g. a newer Mosquitto built elsewhere for a test that needs one
 * ({@code SharedSubscriptionIT} needs 2.0.12+).
 */
public final class MosquittoProcess extends ServiceProcess {
    /** The environment variable that chooses the broker binary. */
    public static final String BINARY_VARIABLE = "ONSHELF_MOSQUITTO";
    private final String extraConfig;

    public MosquittoProcess(String extraConfig) {
        super("mosquitto");
        this.extraConfig = extraConfig;
    }

    public MosquittoProcess() {
        this("");
    }

    /**
     * The broker binary the tests run: {@value #BINARY_VARIABLE} when set (it must be an executable
     * file), otherwise the installed {@code mosquitto}.
     */
    public static String binary() {
        return binary(System.getenv(BINARY_VARIABLE));
    }

    static String binary(String chosen) {
        if (chosen == null || chosen.isBlank()) {
            return locate("mosquitto");
        }
        if (!Files.isRegularFile(Path.of(chosen)) || !Files.isExecutable(Path.of(chosen))) {
            throw new IllegalStateException(BINARY_VARIABLE + "=" + chosen + " is not an executable file");
        }
        return chosen;
    }

    /**
     * The version the broker binary reports ({@code mosquitto -h}: "mosquitto version 2.0.11"), or
     * "unknown".
     */
    public static String version() {
        try {
            Process p = new ProcessBuilder(binary(), "-h").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("mosquitto version (\\S+)").matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    protected String binaryPath() {
        return binary();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command(String path) {
        Path conf = dir.resolve("mosquitto.conf");
        String text = String.join("\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous " + !extraConfig.contains("password_file"),
            // run as ourselves: as root, Debian's mosquitto drops to user "mosquitto", which cannot
            // write its persistence file into our private temp dir (and sessions die with a restart)
            "user " + System.getProperty("user.name"),
            "persistence true",
            "persistence_location " + dir + "/",
            "max_queued_messages 0",
            "max_queued_bytes 0",
            "max_inflight_messages 0",  // no broker-side cap: subscribers set their receive maximum
            "set_tcp_nodelay true",
            extraConfig,
            "");
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of(path, "-c", conf.toString());
    }
}
