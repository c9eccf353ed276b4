package dev.onshelf.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension: injects a shared {@link RedisProcess} and {@link MosquittoProcess}, started once
 * per test JVM on free ports and stopped when the run ends; a {@link RedisTarget} is that Redis, or for
 * a class annotated {@link OnRedisCluster} a shared {@link RedisClusterProcess}. Never the machine's 6379/1883. Tests
 * that kill and restart a service create their own instance instead.
 */
public final class RealServices implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        return type == RedisProcess.class || type == MosquittoProcess.class || type == RedisTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        ExtensionContext.Store store = c.getRoot().getStore(ExtensionContext.Namespace.create(RealServices.class));
        Class<?> type = p.getParameter().getType();
        if (type == RedisTarget.class) {
            if (c.getRequiredTestClass().isAnnotationPresent(OnRedisCluster.class)) {
                return RedisTarget.cluster(store.getOrComputeIfAbsent("cluster",
                    k -> new ClosingCluster(new RedisClusterProcess().start()), ClosingCluster.class).cluster());
            }
            return RedisTarget.single((RedisProcess) store.getOrComputeIfAbsent("redis",
                k -> new Closing(new RedisProcess().start()), Closing.class).service());
        }
        if (type == RedisProcess.class) {
            return store.getOrComputeIfAbsent("redis", k -> new Closing(new RedisProcess().start()),
                Closing.class).service();
        }
        return store.getOrComputeIfAbsent("mosquitto", k -> new Closing(new MosquittoProcess().start()),
            Closing.class).service();
    }

    /** Closed by JUnit when the root context closes. */
    record ClosingCluster(RedisClusterProcess cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }

    /** Closed by JUnit when the root context closes. */
    record Closing(ServiceProcess service) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            service.close();
        }
    }
}
