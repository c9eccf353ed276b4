package dev.onshelf.testkit;

import java.util.ArrayList;
import java.util.List;

/** A real {@code redis-server} for tests; optionally with AOF ({@code appendfsync everysec}). */
public final class RedisProcess extends ServiceProcess {
    private final boolean aof;

    public RedisProcess(boolean aof) {
        super("redis-server");
        this.aof = aof;
    }

    public RedisProcess() {
        this(false);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command(String path) {
        List<String> cmd = new ArrayList<>(List.of(path, "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(),
            "--hash-max-listpack-value", "256"));
        if (aof) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        return cmd;
    }
}
