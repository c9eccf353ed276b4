package dev.onshelf.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.availability.ItemAvailability;
import org.junit.jupiter.api.Test;

/** The staff shelf count in the Java model: the same steps as ApplyScriptIT runs against the script. */
class ProductLedgerTest {
    private static final long T0 = 1_800_000_000_000L;

    @Test
    void aStaffShelfCountStandsForEverySlotUntilASensorReportsSomethingNewer() {
        ProductLedger p = new ProductLedger();
        p.reading("mat|A1", 4, 12, T0 + 1000);
        p.reading("mat|A2", 3, 12, T0 + 1000);
        p.settle(T0 + 1000, ApplyParams.DEFAULT);
        assertThat(p.level()).isEqualTo(ItemAvailability.InStock);
        assertThat(p.staffShelfCount(0, T0 + 500)).as("older than the sensors").isFalse();
        assertThat(p.staffShelfCount(1, T0 + 2000)).isTrue();
        p.settle(T0 + 2000, ApplyParams.DEFAULT);
        assertThat(p.level()).isEqualTo(ItemAvailability.LimitedAvailability);
        p.reading("mat|A2", 9, 12, T0 + 1500);
        assertThat(p.staffShelf).as("an older reading leaves the count standing").isNotNull();
        p.reading("mat|A1", 2, 12, T0 + 3000);
        assertThat(p.staffShelf).isNull();
        p.settle(T0 + 3000, ApplyParams.DEFAULT);
        assertThat(p.level()).isEqualTo(ItemAvailability.InStock);  // 2 + 9
    }
}
