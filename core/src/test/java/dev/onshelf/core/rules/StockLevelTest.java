package dev.onshelf.core.rules;

import static dev.onshelf.core.availability.ItemAvailability.InStock;
import static dev.onshelf.core.availability.ItemAvailability.LimitedAvailability;
import static dev.onshelf.core.availability.ItemAvailability.OutOfStock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.model.AlertType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockLevelTest {

    @Test
    void aShelfHoveringAtTheThresholdDoesNotFlap() {
        ItemAvailability level = null;
        List<ItemAvailability> seen = new ArrayList<>();
        for (long units : new long[] {12, 3, 2, 3, 2, 3, 2, 3}) {
            level = StockLevel.next(level, units, 2);
            seen.add(level);
        }
        assertThat(seen).containsExactly(InStock, InStock, LimitedAvailability, LimitedAvailability,
            LimitedAvailability, LimitedAvailability, LimitedAvailability, LimitedAvailability);
        assertThat(StockLevel.next(LimitedAvailability, 4, 2)).isEqualTo(InStock);
        assertThat(StockLevel.next(OutOfStock, 3, 2)).isEqualTo(LimitedAvailability);
        assertThat(StockLevel.next(InStock, 0, 2)).isEqualTo(OutOfStock);
    }

    @Test
    void withoutAThresholdThereIsNoLimitedLevel() {
        assertThat(StockLevel.next(OutOfStock, 1, 0)).isEqualTo(InStock);
        assertThat(StockLevel.plain(1, 0)).isEqualTo(InStock);
    }

    @Test
    void transitionsRaiseOneAlertEach() {
        ProductLedger p = new ProductLedger();
        List<List<AlertType>> alerts = new ArrayList<>();
        long now = 1_000_000;
        long[][] readings = {{12, 1}, {2, 2}, {1, 3}, {0, 4}, {0, 5}, {6, 6}, {6, 7}};
        for (long[] r : readings) {
            p.reading("mat|A", r[0], 12, now + r[1]);
            alerts.add(p.settle(now + r[1], ApplyParams.DEFAULT));
        }
        assertThat(alerts).containsExactly(List.of(), List.of(AlertType.SHELF_LOW), List.of(),
            List.of(AlertType.SHELF_EMPTY), List.of(), List.of(AlertType.BACK_IN_STOCK), List.of());
    }

    @Test
    void phantomStockIsRaisedOnceWhenTheBooksSayStockAndAFreshReadingSaysEmpty() {
        ProductLedger p = new ProductLedger();
        long now = 1_000_000;
        p.count(10, now);
        assertThat(p.settle(now, ApplyParams.DEFAULT)).isEmpty();
        p.reading("mat|A", 0, 12, now + 1);
        assertThat(p.settle(now + 1, ApplyParams.DEFAULT)).containsExactly(AlertType.SHELF_EMPTY, AlertType.PHANTOM_STOCK);
        p.delta(-1, now + 2, ApplyParams.DEFAULT);
        assertThat(p.settle(now + 2, ApplyParams.DEFAULT)).isEmpty();
        assertThat(p.phantom()).isTrue();
        p.reading("mat|A", 5, 12, now + 3);
        assertThat(p.settle(now + 3, ApplyParams.DEFAULT)).containsExactly(AlertType.BACK_IN_STOCK);
        assertThat(p.phantom()).isFalse();
    }
}
