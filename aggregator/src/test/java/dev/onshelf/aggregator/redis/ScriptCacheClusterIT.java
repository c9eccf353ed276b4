package dev.onshelf.aggregator.redis;

import dev.onshelf.testkit.OnRedisCluster;

/** {@link ScriptCacheIT} on a Redis Cluster (three masters, three replicas). */
@OnRedisCluster
class ScriptCacheClusterIT extends ScriptCacheIT {
}
