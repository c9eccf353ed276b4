package dev.onshelf.aggregator.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A Lua script from the classpath, run by its SHA1; loaded on NOSCRIPT (e.g. after a Redis restart). */
public final class LuaScript {
    private final String text;
    private final String sha;

    private LuaScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** A line {@code -- #include <file>} is replaced by that file's text (scripts cannot share code). */
    private static final java.util.regex.Pattern INCLUDE =
        java.util.regex.Pattern.compile("(?m)^-- #include ([a-z_]+\\.lua)$");

    public static LuaScript fromClasspath(String name) {
        return new LuaScript(text(name));
    }

    /** The script's text as Redis runs it, its includes in place. */
    static String text(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/onshelf/lua/" + name)) {
            if (in == null) {
                throw new IllegalStateException("script not on the classpath: " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return INCLUDE.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(text(m.group(1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String sha() {
        return sha;
    }

    /** Loads the script into Redis's script cache (at start-up, so the first calls find it). */
    public CompletionStage<String> load(RedisClusterAsyncCommands<String, String> redis) {
        return redis.scriptLoad(text);
    }

    /** Runs by SHA1; {@code issued} is told of every command sent (for connections flushed by hand). */
    public CompletionStage<List<Object>> run(RedisClusterAsyncCommands<String, String> redis, Runnable issued,
                                             String[] keys, String... args) {
        CompletionStage<List<Object>> first = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args);
        issued.run();
        return first.exceptionallyCompose(e -> {
            if (!(unwrap(e) instanceof RedisNoScriptException)) {
                return java.util.concurrent.CompletableFuture.failedStage(unwrap(e));
            }
            CompletionStage<List<Object>> again = redis.<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args);
            issued.run();
            return again;
        });
    }

    /** Runs by SHA1 (loaded on NOSCRIPT), for a script answering a flat array of bulk strings kept as bytes. */
    CompletionStage<List<byte[]>> runRaw(RedisClusterAsyncCommands<String, String> redis, String[] keys,
                                         String... args) {
        return RawOutputs.eval(redis, io.lettuce.core.protocol.CommandType.EVALSHA, sha, keys, args)
            .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                ? RawOutputs.eval(redis, io.lettuce.core.protocol.CommandType.EVAL, text, keys, args)
                : java.util.concurrent.CompletableFuture.failedStage(unwrap(e)));
    }

    public CompletionStage<List<Object>> run(RedisClusterAsyncCommands<String, String> redis, String[] keys,
                                             String... args) {
        return run(redis, () -> { }, keys, args);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
