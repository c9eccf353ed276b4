package dev.onshelf.simulators.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One side of a lever's before/after: a label for the run and environment variables given to
 * OnShelf's process (e.g. {@code ONSHELF_X=1}), recorded with the figures so that both sides, measured
 * the same afternoon, can be told apart. The harness's own wiring (URLs, ports, client id) cannot be
 * overridden: a lever that moved OnShelf off the bench's servers would measure nothing.
 */
public record Lever(String label, Map<String, String> env) {
    public static final Lever NONE = new Lever("", Map.of());
    static final Set<String> RESERVED = Set.of("ONSHELF_MQTT_URL", "ONSHELF_REDIS_URL", "ONSHELF_HTTP_PORT",
        "ONSHELF_HTTP_HOST", "ONSHELF_MQTT_CLIENT_ID");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Fails with a message naming the variable that cannot be used. */
    public Lever {
        label = label == null ? "" : label.strip();
        env = env == null ? Map.of() : new TreeMap<>(env);
        for (String key : env.keySet()) {
            if (!NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("--onshelf-env " + key + ": not an environment variable name");
            }
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("--onshelf-env " + key + ": set by the bench itself (it points "
                    + "OnShelf at the bench's broker, Redis and port)");
            }
        }
        env = java.util.Collections.unmodifiableMap(env);
    }

    boolean isSet() {
        return !label.isEmpty() || !env.isEmpty();
    }

    /** "KEY=value KEY2=value2", or "(none)". */
    String envText() {
        if (env.isEmpty()) {
            return "(none)";
        }
        StringBuilder t = new StringBuilder();
        env.forEach((k, v) -> t.append(t.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return t.toString();
    }
}
