package dev.onshelf.app;

import dev.onshelf.testkit.ServiceProcess;
import java.util.HashMap;
import java.util.Map;

/** A whole OnShelf node in the test JVM against the given services, and an HTTP client for it. */
record TestNode(Node node, Http http, int port) implements AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789";

    static TestNode start(String redisUrl, String mqttUrl, String clientId, Map<String, String> extra) throws Exception {
        int port = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>(Map.of("ONSHELF_MQTT_URL", mqttUrl, "ONSHELF_REDIS_URL", redisUrl,
            "ONSHELF_HTTP_PORT", Integer.toString(port), "ONSHELF_HTTP_HOST", "127.0.0.1",
            "ONSHELF_ADMIN_TOKEN", TOKEN, "ONSHELF_MQTT_CLIENT_ID", clientId));
        env.putAll(extra);
        return new TestNode(Node.start(OnShelfConfig.fromEnv(env, true), Node.all()), new Http(port, TOKEN), port);
    }

    /** On a single Redis or a Redis Cluster; the MQTT client id carries the target's name. */
    static TestNode start(dev.onshelf.testkit.RedisTarget redis, String mqttUrl, String clientId,
                          Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(redis.env());
        env.putAll(extra);
        return start(redis.url(), mqttUrl, clientId + "-" + redis.name(), env);
    }

    @Override
    public void close() {
        node.close();
    }
}
