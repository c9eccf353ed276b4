package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.ValidationException;
import java.util.HashSet;
import java.util.List;

/**
 * HTTP parameter parsing under a coverage-guided fuzzer: whatever a client sends, each parser
 * returns a value within its contract or refuses with a 400 problem (or the model's validation
 * error, which the API renders as 400). Anything else is a finding.
 */
class QueryParamsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 4);
        String raw = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        try {
            switch (which) {
                case 0 -> {
                    List<Gtin> gtins = QueryParams.gtins(raw);
                    assertThat(gtins).isNotEmpty().hasSizeLessThanOrEqualTo(QueryParams.MAX_ITEMS)
                        .allMatch(g -> g.value().matches("\\d{14}"));
                    assertThat(new HashSet<>(gtins)).as("no GTIN twice").hasSameSizeAs(gtins);
                }
                case 1 -> assertThat(QueryParams.stores(raw)).isNotEmpty()
                    .hasSizeLessThanOrEqualTo(QueryParams.MAX_ITEMS)
                    .allMatch(s -> s.value().matches("[A-Za-z0-9_-]{1,32}"));
                case 2 -> {
                    double v = QueryParams.number("lat", raw, null, -85.05, 85.05);
                    assertThat(v).isBetween(-85.05, 85.05);
                }
                case 3 -> {
                    double v = QueryParams.number("limit", raw, 10.0, 1, QueryParams.MAX_ITEMS);
                    assertThat(v).isBetween(1.0, (double) QueryParams.MAX_ITEMS);
                }
                default -> {
                    String id = QueryParams.changeId(raw);
                    assertThat(id == null || id.matches("\\d{1,18}-\\d{1,18}")).isTrue();
                    if (id != null) {
                        assertThat(ChangesHandler.compare(id, "0-0")).isGreaterThanOrEqualTo(0);  // never throws
                    }
                }
            }
        } catch (ProblemException refused) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.code()).startsWith("request:");
        } catch (ValidationException refused) {
            assertThat(refused.detail()).isNotBlank();
        }
    }
}
