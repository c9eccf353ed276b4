package dev.onshelf.core.epcis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.epcis.EpcisCapture.As;
import dev.onshelf.core.epcis.EpcisCapture.Captured;
import dev.onshelf.core.epcis.EpcisCapture.Mapped;
import dev.onshelf.core.epcis.EpcisCapture.Refused;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.ShelfCountEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The EPCIS 2.0 mapping, without servers: each business step and disposition, id forms, bad events. */
class EpcisCaptureTest {
    private static final long NOW = Instant.parse("2026-11-22T10:20:00Z").toEpochMilli();
    private static final String G13 = "urn:epc:idpat:sgtin:4006381.033393.*";
    private static final String GTIN = "04006381333931";
    private final EpcisCapture capture = new EpcisCapture();

    /** An ObjectEvent with the given extra members (JSON, without braces). */
    static String event(String id, String members) {
        return "{\"type\": \"ObjectEvent\", \"eventID\": \"" + id + "\", \"eventTime\": \"2026-11-22T11:15:30.000+01:00\", "
            + "\"eventTimeZoneOffset\": \"+01:00\", \"bizLocation\": {\"id\": \"urn:epc:id:sgln:4012345.00001.0\", "
            + "\"onshelf:store\": \"0421\"}" + (members.isEmpty() ? "" : ", " + members) + "}";
    }

    static String quantity(String epcClass, Object qty) {
        return "\"quantityList\": [{\"epcClass\": \"" + epcClass + "\", \"quantity\": " + qty + "}]";
    }

    static String document(String... events) {
        return "{\"@context\": [\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\", "
            + "{\"onshelf\": \"https://onshelf.dev/epcis/\"}], \"type\": \"EPCISDocument\", \"schemaVersion\": \"2.0\", "
            + "\"creationDate\": \"2026-11-22T10:16:00Z\", \"epcisBody\": {\"eventList\": [" + String.join(", ", events)
            + "]}}";
    }

    private List<Captured> run(String... events) {
        return capture.capture(document(events).getBytes(StandardCharsets.UTF_8), NOW);
    }

    private Captured one(String members) {
        return run(event("urn:uuid:e1", members)).get(0);
    }

    private Refused refused(String members) {
        Captured c = one(members);
        assertThat(c).isInstanceOf(Refused.class);
        return (Refused) c;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "receiving | ADD | | RECEIPT",
        "urn:epcglobal:cbv:bizstep:receiving | OBSERVE | urn:epcglobal:cbv:disp:sellable_not_accessible | RECEIPT",
        "https://ref.gs1.org/cbv/BizStep-receiving | ADD | https://ref.gs1.org/cbv/Disp-sellable_accessible | RECEIPT",
        "receiving | ADD | in_progress | RECEIPT",
        "retail_selling | OBSERVE | retail_sold | SALE",
        "retail_selling | DELETE | | SALE",
        "cycle_counting | OBSERVE | sellable_accessible | SHELF_COUNT",
        "cycle_counting | OBSERVE | urn:epcglobal:cbv:disp:sellable_not_accessible | COUNT",
    })
    void eachSupportedStepMapsOntoItsEvent(String bizStep, String action, String disposition, As as) {
        Captured c = one(quantity(G13, 5) + ", \"action\": \"" + action + "\", \"bizStep\": \"" + bizStep + "\""
            + (disposition == null ? "" : ", \"disposition\": \"" + disposition + "\""));
        assertThat(c).isInstanceOfSatisfying(Mapped.class, m -> {
            assertThat(m.as()).isEqualTo(as);
            assertThat(m.store().value()).isEqualTo("0421");
            assertThat(m.writes()).hasSize(1);
            assertThat(m.writes().get(0).eventId()).isEqualTo("epcis:urn:uuid:e1#" + GTIN);
            assertThat(m.writes().get(0).source().value()).as("its own source, no device's").isEqualTo("~epcis");
            assertThat(m.writes().get(0).seq()).as("the store numbers it").isZero();
            assertThat(m.writes().get(0).ts()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z").toEpochMilli());
        });
    }

    @Test
    void aSaleTakesUnitsOffTheBookAReceiptAddsThemAndAStockCountSetsThem() {
        List<Captured> all = run(
            event("e-sale", quantity(G13, 2) + ", \"action\": \"OBSERVE\", \"bizStep\": \"retail_selling\""),
            event("e-in", quantity(G13, 12) + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""),
            event("e-count", quantity(G13, 0)
                + ", \"action\": \"OBSERVE\", \"bizStep\": \"cycle_counting\", \"disposition\": \"sellable_not_accessible\""));
        FeedEvent sale = (FeedEvent) ((Mapped) all.get(0)).writes().get(0);
        FeedEvent receipt = (FeedEvent) ((Mapped) all.get(1)).writes().get(0);
        FeedEvent count = (FeedEvent) ((Mapped) all.get(2)).writes().get(0);
        assertThat(sale.type()).isEqualTo(EventType.SALE);
        assertThat(sale.bookEffect()).isEqualTo(-2);
        assertThat(receipt.bookEffect()).isEqualTo(12);
        assertThat(count.type()).isEqualTo(EventType.COUNT);
        assertThat(count.bookEffect()).as("a count of nothing is a count").isZero();
    }

    @Test
    void aShelfCountIsTheWholeShelf() {
        Captured c = one(quantity(G13, 7)
            + ", \"action\": \"OBSERVE\", \"bizStep\": \"cycle_counting\", \"disposition\": \"sellable_accessible\"");
        ShelfCountEvent shelf = (ShelfCountEvent) ((Mapped) c).writes().get(0);
        assertThat(shelf.count()).isEqualTo(7);
        assertThat(shelf.gtin().value()).isEqualTo(GTIN);
    }

    @Test
    void eachDistinctSgtinIsOneUnitAddedToTheQuantitiesOfItsGtin() {
        Captured c = one("\"action\": \"OBSERVE\", \"bizStep\": \"retail_selling\", "
            + "\"epcList\": [\"urn:epc:id:sgtin:4006381.033393.1\", \"urn:epc:id:sgtin:4006381.033393.2\", "
            + "\"urn:epc:id:sgtin:4006381.033393.2\", \"https://id.gs1.org/01/10012345678902/21/77\"], "
            + quantity("https://id.gs1.org/01/04006381333931", 3));
        Mapped m = (Mapped) c;
        assertThat(m.writes()).extracting(w -> ((FeedEvent) w).gtin().value() + "=" + ((FeedEvent) w).qty())
            .containsExactly(GTIN + "=5", "10012345678902=1");
        assertThat(m.writes()).extracting(w -> w.eventId())
            .containsExactly("epcis:urn:uuid:e1#" + GTIN, "epcis:urn:uuid:e1#10012345678902");
    }

    @Test
    void theStoreMayBeNamedByTheReadPoint() {
        String e = "{\"type\": \"ObjectEvent\", \"eventID\": \"r1\", \"eventTime\": \"2026-11-22T10:15:30Z\", "
            + "\"action\": \"ADD\", \"bizStep\": \"receiving\", \"readPoint\": {\"id\": \"urn:epc:id:sgln:4012345.00001.7\", "
            + "\"onshelf:store\": \"S-7\"}, " + quantity(G13, 1) + "}";
        assertThat(run(e).get(0)).isInstanceOfSatisfying(Mapped.class, m -> assertThat(m.store().value()).isEqualTo("S-7"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"action\": \"ADD\", \"bizStep\": \"shipping\" | epcis:bizStep.unsupported",
        "\"action\": \"ADD\" | epcis:bizStep.missing",
        "\"bizStep\": \"receiving\" | epcis:action.missing",
        "\"action\": \"DELETE\", \"bizStep\": \"receiving\" | epcis:action.unsupported",
        "\"action\": \"ADD\", \"bizStep\": \"retail_selling\" | epcis:action.unsupported",
        "\"action\": \"ADD\", \"bizStep\": \"cycle_counting\", \"disposition\": \"sellable_accessible\" | epcis:action.unsupported",
        "\"action\": \"OBSERVE\", \"bizStep\": \"cycle_counting\" | epcis:disposition.unsupported",
        "\"action\": \"OBSERVE\", \"bizStep\": \"cycle_counting\", \"disposition\": \"damaged\" | epcis:disposition.unsupported",
        "\"action\": \"ADD\", \"bizStep\": \"receiving\", \"disposition\": \"damaged\" | epcis:disposition.unsupported",
        "\"action\": \"OBSERVE\", \"bizStep\": \"retail_selling\", \"disposition\": \"sellable_accessible\" | epcis:disposition.unsupported",
    })
    void whatCannotBeMappedIsRefusedWithASpecificCode(String members, String code) {
        Refused r = refused(quantity(G13, 1) + ", " + members);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.eventId()).isEqualTo("urn:uuid:e1");
        assertThat(r.detail()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"quantityList\": [{\"epcClass\": \"urn:epc:idpat:sscc:4006381.0123456789\", \"quantity\": 1}] | epcis:epcClass.not_gtin",
        "\"quantityList\": [{\"epcClass\": \"https://id.gs1.org/01/04006381333932\", \"quantity\": 1}] | epcis:gtin.invalid",
        "\"quantityList\": [{\"quantity\": 1}] | epcis:epcClass.missing",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\"}] | epcis:quantity.missing",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": 2.5}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": 0}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": -3}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": 100001}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": 60000}, {\"epcClass\": \"" + G13 + "\", \"quantity\": 60000}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": \"3\"}] | epcis:quantity.invalid",
        "\"quantityList\": [{\"epcClass\": \"" + G13 + "\", \"quantity\": 3, \"uom\": \"KGM\"}] | epcis:quantity.uom_unsupported",
        "\"quantityList\": [] | epcis:quantity.missing",
        "\"epcList\": [\"urn:epc:id:sscc:4006381.0123456789\"] | epcis:epc.not_sgtin",
    })
    void unitsThatAreNotWholeUnitsOfAGtinAreRefused(String units, String code) {
        assertThat(refused("\"action\": \"ADD\", \"bizStep\": \"receiving\", " + units).code()).isEqualTo(code);
    }

    @Test
    void aWholeNumberWrittenAsADecimalIsAWholeNumber() {
        assertThat(one(quantity(G13, "4.0") + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""))
            .isInstanceOfSatisfying(Mapped.class, m -> assertThat(((FeedEvent) m.writes().get(0)).qty()).isEqualTo(4));
    }

    @Test
    void anEventWithoutAUsableIdTypeTimeOrStoreIsRefused() {
        String units = quantity(G13, 1) + ", \"action\": \"ADD\", \"bizStep\": \"receiving\"";
        List<Captured> all = run(
            "{\"type\": \"ObjectEvent\", \"eventTime\": \"2026-11-22T10:15:30Z\", " + units + "}",
            "{\"type\": \"ObjectEvent\", \"eventID\": \"has space\", \"eventTime\": \"2026-11-22T10:15:30Z\", " + units + "}",
            event("agg-1", "\"action\": \"ADD\", \"bizStep\": \"packing\"").replace("ObjectEvent", "AggregationEvent"),
            event("t1", units).replace("2026-11-22T11:15:30.000+01:00", "22/11/2026 10:15"),
            event("t2", units).replace("2026-11-22T11:15:30.000+01:00", "2026-11-22T10:30:00Z"),
            event("s1", units).replace("\"onshelf:store\": \"0421\"", "\"x\": 1"),
            event("s2", units).replace("\"onshelf:store\": \"0421\"", "\"onshelf:store\": \"no such/store\""),
            event("x1", units + ", \"errorDeclaration\": {\"declarationTime\": \"2026-11-22T10:16:00Z\"}"),
            "42");
        assertThat(all).extracting(c -> ((Refused) c).code()).containsExactly("epcis:eventID.missing",
            "epcis:eventID.invalid", "epcis:type.unsupported", "epcis:eventTime.invalid", "epcis:eventTime.future",
            "epcis:bizLocation.store_missing", "epcis:store.invalid", "epcis:errorDeclaration.unsupported",
            "epcis:event.invalid");
        assertThat(all).extracting(Captured::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(all.get(2).eventId()).as("a refused event still names itself when it can").isEqualTo("agg-1");
        assertThat(all.get(0).eventId()).isNull();
    }

    @Test
    void aDocumentThatCannotBeReadIsRefusedWhole() {
        assertThatThrownBy(() -> capture.capture("not json".getBytes(StandardCharsets.UTF_8), NOW))
            .isInstanceOfSatisfying(EpcisRefusal.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.code()).isEqualTo("epcis:document.invalid");
            });
        assertThatThrownBy(() -> capture.capture("{\"type\": \"EPCISDocument\"}".getBytes(StandardCharsets.UTF_8), NOW))
            .isInstanceOfSatisfying(EpcisRefusal.class, r -> assertThat(r.detail()).contains("eventList"));
        assertThatThrownBy(() -> capture.capture(("{\"type\": \"EPCISDocument\", \"schemaVersion\": \"1.2\", \"epcisBody\": "
            + "{\"eventList\": []}}").getBytes(StandardCharsets.UTF_8), NOW))
            .isInstanceOfSatisfying(EpcisRefusal.class,
                r -> assertThat(r.code()).isEqualTo("epcis:document.version_unsupported"));
    }

    @Test
    void aDocumentOverTheLimitsIsRefusedAs413() {
        String e = event("e", quantity(G13, 1) + ", \"action\": \"ADD\", \"bizStep\": \"receiving\"");
        String[] many = new String[EpcisCapture.MAX_EVENTS + 1];
        java.util.Arrays.fill(many, e);
        assertThatThrownBy(() -> run(many)).isInstanceOfSatisfying(EpcisRefusal.class, r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.code()).isEqualTo("epcis:document.too_many_events");
        });
        assertThat(run(java.util.Arrays.copyOf(many, EpcisCapture.MAX_EVENTS))).hasSize(EpcisCapture.MAX_EVENTS);
        byte[] big = new byte[EpcisCapture.MAX_DOCUMENT_BYTES + 1];
        assertThatThrownBy(() -> capture.capture(big, NOW)).isInstanceOfSatisfying(EpcisRefusal.class, r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.code()).isEqualTo("epcis:document.too_large");
        });
    }
}
