package dev.onshelf.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.ingest.ApplyResult.Outcome;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.StoreId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Exactness that depends on neither reorder depth nor clock resolution: however deep the reorder,
 * however coarse a till's clock, however often a sale is redelivered or re-stamped, and across
 * reboots of tills that name their boot, every sale counts exactly once.
 */
class ExactlyOnceProperties {
    private static final StoreId STORE = new StoreId("X1");
    private static final long START = 1_000_000;

    @Property(tries = 3000)
    void everySaleCountsOnce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1500) int length,
                             @ForAll @IntRange(max = 100) int duplicates, @ForAll @IntRange(max = 100) int restamps,
                             @ForAll @IntRange(max = 200) int swaps, @ForAll @IntRange(min = 1, max = 1500) int displacement,
                             @ForAll @IntRange(max = 6) int reboots) {
        DeltaStream stream = DeltaStream.generate(STORE, "", seed, length, duplicates, restamps, swaps, displacement,
            reboots);
        StoreLedger ledger = new StoreLedger(ApplyParams.DEFAULT);
        ledger.apply(new FeedEvent(STORE, new DeviceId("counter"), "count", 1, History.T0 - 1, EventType.COUNT,
            DeltaStream.GTIN, START), History.T0);
        Map<String, Integer> applied = new HashMap<>();
        Set<String> refused = new HashSet<>();
        for (FeedEvent e : stream.delivered()) {
            Outcome outcome = ledger.apply(e, History.T0).outcome();
            if (outcome == Outcome.APPLIED) {
                applied.merge(e.eventId(), 1, Integer::sum);
            } else if (outcome == Outcome.REJECTED) {
                refused.add(e.eventId());
            }
        }
        // never twice; never lost silently: a sale not applied was refused (visibly: counted, dead-lettered),
        // which happens only where the ledger cannot tell (a forgotten boot, a re-stamped retransmission
        // whose id is no longer remembered)
        assertThat(applied.values()).allMatch(n -> n == 1);
        Set<String> missing = new HashSet<>();
        stream.truth().forEach(e -> {
            if (!applied.containsKey(e.eventId())) {
                missing.add(e.eventId());
            }
        });
        assertThat(refused).containsAll(missing);
        assertThat(ledger.product(DeltaStream.GTIN.value()).book()).isEqualTo(START - applied.size());
        if (stream.truth().stream().map(FeedEvent::session).distinct().count() <= SourceLedger.MAX_EPOCHS) {
            assertThat(missing).as("lost with every boot kept").isEmpty();
        }
        long forgotten = stream.truth().stream().map(e -> e.source().value()).distinct()
            .mapToLong(s -> ledger.source(s).forgotten()).sum();
        assertThat(forgotten).isGreaterThanOrEqualTo(refused.size());
    }
}
