package dev.onshelf.app;

import dev.onshelf.testkit.OnRedisCluster;

/** {@link HoldsIT} on a Redis Cluster (three masters, three replicas). */
@OnRedisCluster
class HoldsClusterIT extends HoldsIT {
}
