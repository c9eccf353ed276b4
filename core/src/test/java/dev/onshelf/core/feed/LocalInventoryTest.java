package dev.onshelf.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.availability.Availability;
import dev.onshelf.core.availability.AvailabilityPolicy;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local inventory row of real answers of the availability rules (no servers). */
class LocalInventoryTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long MIN = 60_000;
    private static final StoreId STORE = new StoreId("0421");
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private static final Pickup PICKUP = new Pickup("buy", "same_day");
    private final AvailabilityRules rules = new AvailabilityRules(AvailabilityPolicy.DEFAULT);

    private Availability answer(Long book, long bookTs, Slot... slots) {
        return rules.evaluate(new ProductState(List.of(slots), book, bookTs, 0), Map.of(), NOW);
    }

    private static Slot mat(int count, long ts) {
        return new Slot("mat", "", count, 12, ts);
    }

    private static LocalInventoryRow row(Availability a) {
        return LocalInventory.row(STORE, GTIN, a, true, PICKUP, LocalInventory.Unknown.OUT_OF_STOCK).orElseThrow();
    }

    @Test
    void aFreshShelfIsInStockWithItsShelfUnits() {
        LocalInventoryRow r = row(answer(11L, NOW - MIN, mat(4, NOW - MIN)));
        assertThat(r).isEqualTo(new LocalInventoryRow("0421", "04006381333931", "in_stock", 4L, "buy", "same_day"));
    }

    @Test
    void aLowShelfIsLimitedAvailability() {
        LocalInventoryRow r = row(answer(null, 0, mat(1, NOW - MIN)));
        assertThat(r.availability()).isEqualTo("limited_availability");
        assertThat(r.quantity()).isEqualTo(1L);
    }

    @Test
    void phantomStockIsOutOfStockWithTheShelfsZeroNotTheBooks() {
        LocalInventoryRow r = row(answer(9L, NOW - MIN, mat(0, NOW - MIN)));
        assertThat(r.availability()).isEqualTo("out_of_stock");
        assertThat(r.quantity()).isZero();
    }

    @Test
    void bookStockAloneGivesTheBookCountNeverBelowZero() {
        assertThat(row(answer(30L, NOW - MIN))).extracting(LocalInventoryRow::availability, LocalInventoryRow::quantity)
            .containsExactly("in_stock", 30L);
        assertThat(row(answer(-3L, NOW - MIN))).extracting(LocalInventoryRow::availability, LocalInventoryRow::quantity)
            .containsExactly("out_of_stock", 0L);
    }

    @Test
    void unknownIsNeverInStockEvenWhenTheLastReadingSaidPlenty() {
        // a reading of 40 units two hours ago: stale, nothing else known
        Availability stale = answer(null, 0, mat(40, NOW - 120 * MIN));
        assertThat(stale.onShelf()).isNull();
        LocalInventoryRow r = row(stale);
        assertThat(r.availability()).isEqualTo("out_of_stock");
        assertThat(r.quantity()).as("no count for an unknown answer").isNull();
        assertThat(LocalInventory.row(STORE, GTIN, stale, true, PICKUP, LocalInventory.Unknown.OMIT)).isEmpty();
    }

    @Test
    void aFreshReadingFromAnOfflineDeviceIsUnknown() {
        Map<String, SourceHealth> offline = Map.of("mat", new SourceHealth(false, 60, NOW - 1_000, NOW - 1_000));
        Availability a = rules.evaluate(new ProductState(List.of(mat(8, NOW - MIN)), null, 0, 0), offline, NOW);
        assertThat(row(a).availability()).isEqualTo("out_of_stock");
        assertThat(row(a).quantity()).isNull();
    }

    @Test
    void nothingEverReportedIsUnknownToo() {
        assertThat(row(Availability.NOTHING).availability()).isEqualTo("out_of_stock");
        assertThat(LocalInventory.row(STORE, GTIN, Availability.NOTHING, true, PICKUP, LocalInventory.Unknown.OMIT))
            .isEqualTo(Optional.empty());
    }

    @Test
    void quantityIsLeftOutWhenPublicCountsAreOff() {
        Availability a = answer(11L, NOW - MIN, mat(4, NOW - MIN));
        LocalInventoryRow r = LocalInventory.row(STORE, GTIN, a, false, Pickup.NONE, LocalInventory.Unknown.OUT_OF_STOCK)
            .orElseThrow();
        assertThat(r).isEqualTo(new LocalInventoryRow("0421", "04006381333931", "in_stock", null, null, null));
    }

    @Test
    void pickupSettingsFollowMerchantCentersRules() {
        assertThat(new Pickup("not_supported", null).sla()).isNull();
        assertThatThrownBy(() -> new Pickup("buy", null)).hasMessageContaining("needs a pickupSla");
        assertThatThrownBy(() -> new Pickup(null, "same_day")).hasMessageContaining("needs a pickupMethod");
        assertThatThrownBy(() -> new Pickup("teleport", "same_day")).hasMessageContaining("pickupMethod must be one of");
        assertThat(Pickup.stored("", "")).isEqualTo(Pickup.NONE);
        assertThat(Pickup.stored("reserve", "next_day")).isEqualTo(new Pickup("reserve", "next_day"));
    }

    @Test
    void unknownPolicyHasTwoWireNames() {
        assertThat(LocalInventory.Unknown.parse("omit")).isEqualTo(LocalInventory.Unknown.OMIT);
        assertThat(LocalInventory.Unknown.parse("out_of_stock")).isEqualTo(LocalInventory.Unknown.OUT_OF_STOCK);
        assertThatThrownBy(() -> LocalInventory.Unknown.parse("in_stock")).isInstanceOf(IllegalArgumentException.class);
    }
}
