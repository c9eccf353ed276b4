package dev.onshelf.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.Gtin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchTermsTest {
    private static Product product(String name, String brand) {
        return new Product(Gtin.parse("4006381333931"), name, brand, null, null, null);
    }

    private static long rank(Product p, String query) {
        Map<String, Long> index = SearchTerms.index(p);
        long sum = 0;
        for (String t : SearchTerms.query(query)) {
            if (!index.containsKey(t)) {
                return -1;
            }
            sum += index.get(t);
        }
        return sum;
    }

    @Test
    void wordsAreFoldedAndSplit() {
        assertThat(SearchTerms.words("Crème Fraîche, 30% — 200g")).containsExactly("creme", "fraiche", "30", "200g");
        assertThat(SearchTerms.query("oat  MIL x oat")).containsExactly("oat", "mil");
    }

    @Test
    void prefixesOfNameAndBrandWords() {
        Map<String, Long> index = SearchTerms.index(product("Oat Milk Barista 1 L", "Avena"));
        assertThat(index).containsKeys("oa", "oat", "mi", "mil", "milk", "barista", "av", "avena")
            .doesNotContainKeys("o", "1", "l", "ilk");
        assertThat(rank(product("Oat Milk Barista 1 L", null), "oat mil")).isPositive();
        assertThat(rank(product("Oat Milk Barista 1 L", null), "oat cheese")).isNegative();
    }

    @Test
    void bestMatchFirst() {
        Product oatMilk = product("Oat Milk", "Avena");
        Product milkChocolate = product("Milk Chocolate Oat Bar", "Cocoa Co");
        Product brandOnly = product("Barista Drink", "Milkwood");
        Product longer = product("Oat Milk Barista Edition Extra Creamy", "Avena");
        // a name's first word over a later word and over a brand word; a shorter name over a longer one
        assertThat(rank(milkChocolate, "milk")).isGreaterThan(rank(oatMilk, "milk"));
        assertThat(rank(oatMilk, "milk")).isGreaterThan(rank(brandOnly, "milk"));
        assertThat(rank(oatMilk, "oat milk")).isGreaterThan(rank(longer, "oat milk"));
        // a whole word beats a prefix of a longer one
        assertThat(rank(product("Milk", null), "milk")).isGreaterThan(rank(product("Milkshake", null), "milk"));
        assertThat(List.of(rank(oatMilk, "oat mi"), rank(milkChocolate, "oat mi"))).allMatch(r -> r > 0);
    }
}
