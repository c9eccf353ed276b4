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
 */
public final class MosquittoProcess extends ServiceProcess {
    private final String extraConfig;

    public MosquittoProcess(String extraConfig) {
        super("mosquitto");
        this.extraConfig = extraConfig;
    }

    public MosquittoProcess() {
        this("");
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
