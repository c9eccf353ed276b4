package dev.onshelf.aggregator.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Replies whose values are bytes (packed product values) on the process's one String connection:
 * Lettuce's {@code dispatch} with an output that keeps bulk strings as they came, where the
 * connection's UTF-8 codec would mangle them.
 */
final class RawOutputs {
    private RawOutputs() {
    }

    /** {@code HGET key field}, the value as bytes (null when absent). */
    static CompletionStage<byte[]> hget(RedisClusterAsyncCommands<String, String> redis, String key, String field) {
        return redis.dispatch(CommandType.HGET, new Bytes(),
            new CommandArgs<>(StringCodec.UTF8).addKey(key).add(field));
    }

    /** {@code HMGET key fields...}, the values as bytes (each null when absent). */
    static CompletionStage<List<byte[]>> hmget(RedisClusterAsyncCommands<String, String> redis, String key,
                                               String... fields) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8).addKey(key);
        for (String f : fields) {
            a.add(f);
        }
        return redis.dispatch(CommandType.HMGET, new BytesList(), a);
    }

    /** {@code EVALSHA} (or {@code EVAL} of {@code text}) of a script answering a flat array of bulk strings. */
    static CompletionStage<List<byte[]>> eval(RedisClusterAsyncCommands<String, String> redis, CommandType type,
                                              String shaOrText, String[] keys, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8).add(shaOrText).add(keys.length)
            .addKeys(keys);
        for (String arg : args) {
            a.add(arg);
        }
        return redis.dispatch(type, new BytesList(), a);
    }

    private static final class Bytes extends CommandOutput<String, String, byte[]> {
        Bytes() {
            super(StringCodec.UTF8, null);
        }

        @Override
        public void set(ByteBuffer bytes) {
            if (bytes != null) {
                output = new byte[bytes.remaining()];
                bytes.get(output);
            }
        }
    }

    private static final class BytesList extends CommandOutput<String, String, List<byte[]>> {
        BytesList() {
            super(StringCodec.UTF8, new ArrayList<>());
        }

        @Override
        public void set(ByteBuffer bytes) {
            byte[] b = null;
            if (bytes != null) {
                b = new byte[bytes.remaining()];
                bytes.get(b);
            }
            output.add(b);
        }

        @Override
        public void set(long integer) {
            output.add(Long.toString(integer).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public void multi(int count) {
            if (output.isEmpty() && count > 0) {
                output = new ArrayList<>(count);
            }
        }
    }
}
