package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.feed.LocalInventoryRow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.impl.ParsableMIMEValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How feed rows are written, and which format a request gets, without a server. */
class LocalInventoryFormatTest {
    private static final LocalInventoryRow FULL =
        new LocalInventoryRow("0421", "04006381333931", "in_stock", 4L, "buy", "same_day");
    private static final LocalInventoryRow BARE =
        new LocalInventoryRow("0421", "00000096385074", "out_of_stock", null, null, null);

    private static String write(LocalInventoryFormat f, boolean counts, LocalInventoryRow... rows) {
        Buffer out = f.start(counts).copy();
        boolean first = true;
        for (LocalInventoryRow r : rows) {
            f.row(out, r, counts, first);
            first = false;
        }
        return out.appendBuffer(f.end()).toString();
    }

    @Test
    void tsvHasAHeaderRowAndEmptyCellsForWhatIsNotSent() {
        assertThat(write(LocalInventoryFormat.TSV, true, FULL, BARE)).isEqualTo(
            "store_code\tid\tavailability\tquantity\tpickup_method\tpickup_sla\n"
                + "0421\t04006381333931\tin_stock\t4\tbuy\tsame_day\n"
                + "0421\t00000096385074\tout_of_stock\t\t\t\n");
    }

    @Test
    void withoutPublicCountsTheQuantityColumnIsGone() {
        assertThat(write(LocalInventoryFormat.TSV, false, FULL)).isEqualTo(
            "store_code\tid\tavailability\tpickup_method\tpickup_sla\n0421\t04006381333931\tin_stock\tbuy\tsame_day\n");
        JsonObject json = new JsonObject(write(LocalInventoryFormat.JSON, false, FULL));
        assertThat(json.getJsonArray("items").getJsonObject(0).containsKey("quantity")).isFalse();
    }

    @Test
    void jsonIsOneDocumentWithAbsentValuesLeftOut() {
        JsonObject json = new JsonObject(write(LocalInventoryFormat.JSON, true, FULL, BARE));
        assertThat(json.getJsonArray("items")).hasSize(2);
        assertThat(json.getJsonArray("items").getJsonObject(0)).isEqualTo(new JsonObject().put("store_code", "0421")
            .put("id", "04006381333931").put("availability", "in_stock").put("quantity", 4).put("pickup_method", "buy")
            .put("pickup_sla", "same_day"));
        assertThat(json.getJsonArray("items").getJsonObject(1).fieldNames()).containsExactly("store_code", "id",
            "availability");
        assertThat(new JsonObject(write(LocalInventoryFormat.JSON, true)).getJsonArray("items")).isEmpty();
    }

    @Test
    void aTabOrLineBreakInAValueIsRefusedNotWritten() {
        LocalInventoryRow bad = new LocalInventoryRow("04\t21", "1", "in_stock", null, null, null);
        assertThatThrownBy(() -> write(LocalInventoryFormat.TSV, true, bad)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<MIMEHeader> accept(String... values) {
        List<MIMEHeader> out = new ArrayList<>();
        for (String v : values) {
            out.add(new ParsableMIMEValue(v).forceParse());
        }
        out.sort(Comparator.comparingDouble(m -> -m.weight()));  // as Vert.x's parsed headers are
        return out;
    }

    @Test
    void theFormatComesFromTheParameterElseAcceptElseTsv() {
        assertThat(LocalInventoryFormat.choose("json", accept("text/tab-separated-values"))).isEqualTo(LocalInventoryFormat.JSON);
        assertThat(LocalInventoryFormat.choose("tsv", accept("application/json"))).isEqualTo(LocalInventoryFormat.TSV);
        assertThat(LocalInventoryFormat.choose(null, List.of())).isEqualTo(LocalInventoryFormat.TSV);
        assertThat(LocalInventoryFormat.choose(null, accept("*/*"))).isEqualTo(LocalInventoryFormat.TSV);
        assertThat(LocalInventoryFormat.choose(null, accept("application/json"))).isEqualTo(LocalInventoryFormat.JSON);
        assertThat(LocalInventoryFormat.choose(null, accept("text/tab-separated-values;q=0.5", "application/json")))
            .isEqualTo(LocalInventoryFormat.JSON);
        assertThat(LocalInventoryFormat.choose(null, accept("application/json;q=0", "text/*"))).isEqualTo(LocalInventoryFormat.TSV);
        assertThatThrownBy(() -> LocalInventoryFormat.choose(null, accept("image/png", "application/json;q=0")))
            .isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(406);
                assertThat(p.code()).isEqualTo("feed:format.not_acceptable");
            });
    }
}
