package dev.onshelf.aggregator.redis;

import dev.onshelf.testkit.OnRedisCluster;

/** {@link PubSubIT} on a Redis Cluster (three masters, three replicas). */
@OnRedisCluster
class PubSubClusterIT extends PubSubIT {
}
