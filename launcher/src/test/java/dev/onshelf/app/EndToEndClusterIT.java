package dev.onshelf.app;

import dev.onshelf.testkit.OnRedisCluster;

/** {@link EndToEndIT} on a Redis Cluster (three masters, three replicas). */
@OnRedisCluster
class EndToEndClusterIT extends EndToEndIT {
}
