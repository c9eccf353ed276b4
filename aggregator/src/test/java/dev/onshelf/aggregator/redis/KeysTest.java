package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.Gtin;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void aProductFieldIsItsGtinWithoutLeadingZerosAndGivesTheGtinBack() {
        for (String raw : new String[] {"96385074", "036000291452", "4006381333931", "14006381333938",
            "00000000000000"}) {
            Gtin gtin = Gtin.parse(raw);
            String field = Keys.field(gtin);
            // a canonical integer: what a listpack stores as a number
            assertThat(Long.toString(Long.parseLong(field))).as(raw).isEqualTo(field);
            assertThat(Keys.gtinOf(field)).as(raw).isEqualTo(gtin);
        }
        assertThat(Keys.field(Gtin.parse("96385074"))).isEqualTo("96385074");
        assertThat(Keys.field(Gtin.parse("00000000000000"))).isEqualTo("0");
        // the old layout's 14-digit field reads as the same GTIN
        assertThat(Keys.gtinOf("04006381333931")).isEqualTo(Gtin.parse("4006381333931"));
    }

    @Test
    void everyKeyADeletionTouchesIsInTheStoresSlotAndMatchedByItsScan() {
        dev.onshelf.core.model.StoreId store = new dev.onshelf.core.model.StoreId("S-1_x");
        String[] fixed = Keys.fixedKeys(store);
        org.assertj.core.api.Assertions.assertThat(fixed).hasSize(11 + Keys.BUCKETS)
            .contains(Keys.store(store), Keys.devices(store), Keys.sources(store), Keys.health(store),
                Keys.deadLetters(store), Keys.holds(store), Keys.devix(store))
            .allSatisfy(k -> org.assertj.core.api.Assertions.assertThat(k).startsWith("onshelf:{S-1_x}:"));
        String prefix = Keys.everyKeyOf(store);
        org.assertj.core.api.Assertions.assertThat(prefix).isEqualTo("onshelf:{S-1_x}:*");
        org.assertj.core.api.Assertions.assertThat(Keys.deadLetters(store)).isNotEqualTo(Keys.DEAD_LETTER);
    }
}
