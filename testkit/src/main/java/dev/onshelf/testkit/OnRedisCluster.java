package dev.onshelf.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class: the {@link RedisTarget} that {@link RealServices} injects is the shared Redis Cluster
 * (three masters, three replicas) instead of the shared single Redis. A subclass so annotated runs its
 * parent's tests on the cluster.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface OnRedisCluster {
}
