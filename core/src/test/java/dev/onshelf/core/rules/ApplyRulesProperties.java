package dev.onshelf.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.ingest.ApplyResult.Outcome;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.StoreId;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the network does to a store's history — duplicates, reorders, restarts — the rules end
 * in the state a simple reference model computes from the true history.
 */
class ApplyRulesProperties {
    private static final StoreId STORE = new StoreId("P1");

    @Property(tries = 500)
    void anyFaultyDeliveryEndsInTheTrueState(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int length,
                                             @ForAll @IntRange(max = 15) int duplicates,
                                             @ForAll @IntRange(max = 30) int swaps,
                                             @ForAll @IntRange(max = 3) int restarts,
                                             @ForAll boolean sessions) {
        History h = History.generate(STORE, seed, length, duplicates, swaps, restarts, sessions);
        StoreLedger ledger = new StoreLedger(ApplyParams.DEFAULT);
        for (Event e : h.delivered()) {
            ledger.apply(e, h.end());
        }
        h.reference().forEach((gtin, expected) -> {
            ProductLedger p = ledger.product(gtin);
            assertThat(p.slotCounts()).as("slots of %s", gtin).isEqualTo(expected.slotCounts());
            assertThat(p.book()).as("book of %s", gtin).isEqualTo(expected.book());
        });
    }

    @Property(tries = 200)
    void deliveringEverythingTwiceChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int length) {
        History h = History.generate(STORE, seed, length, 0, 0, 1);
        StoreLedger once = new StoreLedger(ApplyParams.DEFAULT);
        StoreLedger twice = new StoreLedger(ApplyParams.DEFAULT);
        Map<Outcome, Integer> outcomes = new HashMap<>();
        for (Event e : h.truth()) {
            once.apply(e, h.end());
            twice.apply(e, h.end());
            outcomes.merge(twice.apply(e, h.end()).outcome(), 1, Integer::sum);
        }
        assertThat(outcomes).containsOnlyKeys(Outcome.DUPLICATE);
        for (String gtin : once.gtins()) {
            assertThat(twice.product(gtin).slotCounts()).isEqualTo(once.product(gtin).slotCounts());
            assertThat(twice.product(gtin).book()).isEqualTo(once.product(gtin).book());
        }
    }
}
