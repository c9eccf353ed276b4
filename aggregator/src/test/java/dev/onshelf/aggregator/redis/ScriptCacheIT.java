package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scripts run by SHA1 and come back by themselves when a node has forgotten them (a restart, a promoted
 * replica, a node added by a reshard): NOSCRIPT, then the script's text. And a batch of events of
 * several stores is applied whole: on a Redis Cluster, one call per store. Again on a cluster in
 * {@link ScriptCacheClusterIT}.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class ScriptCacheIT {
    private static final Gtin GTIN = Gtin.parse("4006381333931");

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBatchOfManyStoresIsAppliedAfterEveryNodeForgotItsScripts(RedisTarget redis) throws Exception {
        try (RedisConnector c = PubSubIT.connect(redis)) {
            // given six stores (on a cluster: spread over the masters), each with a till
            RegistryStore registry = new RegistryStore(c.async());
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<StoreId> stores = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                StoreId s = new StoreId("sc-" + run + "-" + i);
                await(registry.putStore(s, "S" + i, 50, i));
                await(registry.putDevice(s, new DeviceId(s.value() + "-till"), DeviceKind.FEED));
                stores.add(s);
            }
            RedisAvailabilityStore store = new RedisAvailabilityStore(c.async(), System::currentTimeMillis,
                ApplyParams.DEFAULT);
            await(store.preload());
            // when every node forgets its scripts (SCRIPT FLUSH goes to every node of a cluster)
            await(c.async().scriptFlush());
            // and one batch carries two receipts of each store, interleaved
            List<EventSink.Write> batch = new ArrayList<>();
            for (int seq = 1; seq <= 2; seq++) {
                for (StoreId s : stores) {
                    batch.add(new EventSink.Write(new FeedEvent(s, new DeviceId(s.value() + "-till"), "e" + seq, seq,
                        System.currentTimeMillis(), EventType.RECEIPT, GTIN, seq), Attribution.NONE));
                }
            }
            List<ApplyResult> results = new ArrayList<>();
            for (CompletionStage<ApplyResult> r : store.applyAll(batch)) {
                results.add(await(r));
            }
            // then each is applied, and each store's book holds its own two
            assertThat(results).extracting(ApplyResult::outcome).containsOnly(ApplyResult.Outcome.APPLIED);
            for (StoreId s : stores) {
                assertThat(await(store.read(s, GTIN)).state().book()).as("book of %s", s).isEqualTo(3L);
            }
        }
    }
}
