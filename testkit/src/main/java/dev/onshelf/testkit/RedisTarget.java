package dev.onshelf.testkit;

import java.util.Map;

/**
 * The Redis a test runs OnShelf on: a single {@link RedisProcess}, or a {@link RedisClusterProcess}
 * (then {@code url} names one of its nodes and {@code clusterNodes} all of them). Injected by
 * {@link RealServices}: the cluster for a test class annotated {@link OnRedisCluster}.
 */
public record RedisTarget(String name, String url, String clusterNodes) {
    public static RedisTarget single(RedisProcess redis) {
        return new RedisTarget("redis", redis.url(), "");
    }

    public static RedisTarget cluster(RedisClusterProcess cluster) {
        return new RedisTarget("cluster", "redis://" + cluster.nodes().get(0).address(), cluster.nodesSetting());
    }

    public boolean isCluster() {
        return !clusterNodes.isEmpty();
    }

    /** The settings that point OnShelf at it (ONSHELF_REDIS_URL, and ONSHELF_REDIS_CLUSTER_NODES). */
    public Map<String, String> env() {
        return isCluster() ? Map.of("ONSHELF_REDIS_URL", url, "ONSHELF_REDIS_CLUSTER_NODES", clusterNodes)
            : Map.of("ONSHELF_REDIS_URL", url);
    }
}
