package dev.onshelf.app;

import dev.onshelf.testkit.OnRedisCluster;

/** {@link ShopperReadsIT} on a Redis Cluster (three masters, three replicas). */
@OnRedisCluster
class ShopperReadsClusterIT extends ShopperReadsIT {
}
