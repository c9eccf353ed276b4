package dev.onshelf.aggregator.redis;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * The registry's layout migration of 2026-11-29, run when a node starts (idempotent, each command in
 * one slot):
 * <ul>
 *   <li>per store, the staff handheld's and EPCIS's sources move from the device-like ids
 *   {@code hh-<store>} and {@code epcis-<store>} to {@code ~handheld} and {@code ~epcis}
 *   ({@code source_rename.lua}: registration, ledger, health);</li>
 *   <li>dead letters of registered stores move from the global stream to the store's own
 *   ({@link DeadLetters#moveGlobalToStores});</li>
 *   <li>the global device index {@code onshelf:devices} (one store per device) is deleted: a device is
 *   (store, device id), and each store's {@code devices} hash was already the registry.</li>
 * </ul>
 * In the old layout a real device named {@code hh-<store>} could not be told from the handheld (they
 * shared one ledger and health); its entries are taken to be the handheld's.
 */
public final class RegistryMigration {
    /** The handheld's source before 2026-11-29 was "hh-" + the store. */
    static final String LEGACY_HANDHELD_PREFIX = "hh-";
    /** EPCIS's source before 2026-11-29 was "epcis-" + the store. */
    static final String LEGACY_EPCIS_PREFIX = "epcis-";

    private final RedisClusterAsyncCommands<String, String> redis;
    private final LuaScript rename = LuaScript.fromClasspath("source_rename.lua");

    public RegistryMigration(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * One store's sources: completes with how many hash entries moved. {@code handheld} and {@code epcis}
     * are today's ids (StaffHandler's and EpcisCapture's), passed so the one truth stays theirs.
     */
    public CompletionStage<Long> migrateStore(StoreId store, DeviceId handheld, DeviceId epcis) {
        return rename.run(redis, new String[] {Keys.devices(store), Keys.sources(store), Keys.health(store)},
                LEGACY_HANDHELD_PREFIX + store.value(), handheld.value(), LEGACY_EPCIS_PREFIX + store.value(), epcis.value())
            .thenApply(r -> ((Number) r.get(0)).longValue());
    }

    /** After every store's: the global dead letters of registered stores, and the old device index. */
    public CompletionStage<Long> migrateGlobal() {
        return new DeadLetters(redis).moveGlobalToStores()
            .thenCompose(moved -> redis.del(Keys.LEGACY_DEVICES).thenApply(x -> moved));
    }
}
