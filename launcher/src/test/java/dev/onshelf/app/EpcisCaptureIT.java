package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EPCIS 2.0 capture end to end, against real redis-server and mosquitto: a partner's document of good
 * and bad events answered per event, applied through the one pipeline (books and shelf read back through
 * the public API, an MQTT alert, a dead letter), and captured again without anything applied twice.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class EpcisCaptureIT {
    private static final String TOKEN = "epcis-partner-token-0123456789";
    private static final String G1 = "04006381333931";
    private static final String G1_CLASS = "urn:epc:idpat:sgtin:4006381.033393.*";
    private static final String G2 = "10012345678902";
    private static final String G2_CLASS = "https://id.gs1.org/01/10012345678902";
    private static final String G3_CLASS = "https://id.gs1.org/01/00000096385074";
    private static TestNode node;
    private static Http http;
    private static int mqtt;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        mqtt = mosquitto.port();
        node = TestNode.start(redis.url(), mosquitto.url(), "epcis-gateway", Map.of("ONSHELF_EPCIS_TOKEN", TOKEN));
        http = node.http();
        assertThat(http.admin("/v1/admin/stores/E1", "{\"name\": \"E1\", \"lat\": 48.1, \"lon\": 11.5}").statusCode())
            .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** An ObjectEvent at store {@code store} (null: none named), {@code secondsAgo} before now, with more members. */
    static String event(String id, String store, int secondsAgo, String members) {
        String when = OffsetDateTime.now(ZoneOffset.ofHours(1)).minusSeconds(secondsAgo).toString();
        return "{\"type\": \"ObjectEvent\", \"eventID\": \"" + id + "\", \"eventTime\": \"" + when + "\", "
            + "\"eventTimeZoneOffset\": \"+01:00\", \"readPoint\": {\"id\": \"urn:epc:id:sgln:4012345.00001.7\"}, "
            + "\"bizLocation\": {\"id\": \"urn:epc:id:sgln:4012345.00001.0\""
            + (store == null ? "" : ", \"onshelf:store\": \"" + store + "\"") + "}, " + members + "}";
    }

    static String quantity(String epcClass, int qty) {
        return "\"quantityList\": [{\"epcClass\": \"" + epcClass + "\", \"quantity\": " + qty + "}]";
    }

    static String document(List<String> events) {
        return "{\"@context\": [\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\", "
            + "{\"onshelf\": \"https://onshelf.dev/epcis/\"}], \"type\": \"EPCISDocument\", \"schemaVersion\": \"2.0\", "
            + "\"creationDate\": \"" + OffsetDateTime.now(ZoneOffset.UTC) + "\", \"epcisBody\": {\"eventList\": ["
            + String.join(", ", events) + "]}}";
    }

    static HttpResponse<String> capture(String body, String token, String contentType) {
        return http.send("POST", "/v1/epcis/capture", body, "Authorization", "Bearer " + token,
            "Content-Type", contentType);
    }

    static JsonObject captured(String body) {
        HttpResponse<String> r = capture(body, TOKEN, "application/ld+json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    static List<String> outcomes(JsonObject answer) {
        List<String> out = new ArrayList<>();
        for (Object o : answer.getJsonArray("events")) {
            JsonObject e = (JsonObject) o;
            out.add(e.getInteger("index") + ":" + e.getString("outcome")
                + (e.containsKey("code") ? ":" + e.getString("code") : ""));
        }
        return out;
    }

    static JsonObject lookup(String store, String gtin) {
        return http.getJson("/v1/stores/" + store + "/products/" + gtin);
    }

    @Test
    void aDocumentOfGoodAndBadEventsIsAnsweredPerEventAppliedOnceAndNeverTwice() throws Exception {
        Process handheld = MosquittoPub.connectWithWill(mqtt, "epcis-alerts", "onshelf/v1/stores/E1/alerts",
            "handheld/will", "bye");
        try {
            BufferedReader alerts = new BufferedReader(new InputStreamReader(handheld.getInputStream(),
                StandardCharsets.UTF_8));
            // subscribed once a probe on the alerts topic comes back
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                MosquittoPub.publish(mqtt, "onshelf/v1/stores/E1/alerts", "{\"probe\": true}");
                return alerts.ready() && alerts.readLine().contains("probe");
            });

            // given a partner's document: four events OnShelf can take, five it cannot
            List<String> events = List.of(
                event("urn:uuid:0b6a1c1e-0001", "E1", 60, quantity(G1_CLASS, 12)
                    + ", \"action\": \"ADD\", \"bizStep\": \"urn:epcglobal:cbv:bizstep:receiving\", "
                    + "\"disposition\": \"urn:epcglobal:cbv:disp:sellable_not_accessible\""),
                event("urn:uuid:0b6a1c1e-0002", "E1", 50, "\"action\": \"OBSERVE\", \"bizStep\": \"retail_selling\", "
                    + "\"disposition\": \"retail_sold\", \"epcList\": [\"urn:epc:id:sgtin:4006381.033393.1001\", "
                    + "\"urn:epc:id:sgtin:4006381.033393.1002\"]"),
                event("urn:uuid:0b6a1c1e-0003", "E1", 40, quantity(G2_CLASS, 30)
                    + ", \"action\": \"OBSERVE\", \"bizStep\": \"cycle_counting\", \"disposition\": \"sellable_not_accessible\""),
                event("urn:uuid:0b6a1c1e-0004", "E1", 30, quantity(G2_CLASS, 0)
                    + ", \"action\": \"OBSERVE\", \"bizStep\": \"https://ref.gs1.org/cbv/BizStep-cycle_counting\", "
                    + "\"disposition\": \"https://ref.gs1.org/cbv/Disp-sellable_accessible\""),
                event("urn:uuid:0b6a1c1e-0005", "E1", 20, quantity(G1_CLASS, 3)
                    + ", \"action\": \"OBSERVE\", \"bizStep\": \"shipping\""),
                event("urn:uuid:0b6a1c1e-0006", "E1", 20, "\"quantityList\": [{\"epcClass\": "
                    + "\"urn:epc:idpat:sscc:4006381.0123456789\", \"quantity\": 1}], \"action\": \"ADD\", \"bizStep\": \"receiving\""),
                event("urn:uuid:0b6a1c1e-0007", "E1", 20, "\"action\": \"ADD\", \"bizStep\": \"receiving\""),
                event("urn:uuid:0b6a1c1e-0008", "NOPE", 20, quantity(G1_CLASS, 5)
                    + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""),
                event("urn:uuid:0b6a1c1e-0009", null, 20, quantity(G1_CLASS, 5)
                    + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""));
            String doc = document(events);

            // when it is captured
            JsonObject first = captured(doc);

            // then each event has its outcome, in document order
            assertThat(outcomes(first)).containsExactly("0:applied", "1:applied", "2:applied", "3:applied",
                "4:refused:epcis:bizStep.unsupported", "5:refused:epcis:epcClass.not_gtin",
                "6:refused:epcis:quantity.missing", "7:refused:epcis:store.unknown",
                "8:refused:epcis:bizLocation.store_missing");
            assertThat(first.getInteger("applied")).isEqualTo(4);
            assertThat(first.getInteger("refused")).isEqualTo(5);
            JsonObject sale = first.getJsonArray("events").getJsonObject(1);
            assertThat(sale.getString("as")).isEqualTo("SALE");
            assertThat(sale.getString("eventID")).isEqualTo("urn:uuid:0b6a1c1e-0002");
            assertThat(sale.getJsonArray("products").getJsonObject(0).getMap())
                .containsEntry("gtin", G1).containsEntry("qty", 2).containsEntry("outcome", "applied");
            assertThat(first.getJsonArray("events").getJsonObject(4).getString("detail")).contains("shipping");

            // the books and the shelf, as shoppers are answered: 12 received - 2 sold; counted 30, shelf empty
            assertThat(lookup("E1", G1).getLong("bookCount")).isEqualTo(10);
            JsonObject phantom = lookup("E1", G2);
            assertThat(phantom.getLong("bookCount")).isEqualTo(30);
            assertThat(phantom.getInteger("shelfCount")).isZero();
            assertThat(phantom.getBoolean("onShelf")).as("stock in the back, none on the shelf").isFalse();
            assertThat(phantom.getString("confidence")).isEqualTo("high");

            // the pipeline's alert went out over MQTT, as for a device's event
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                while (alerts.ready()) {
                    String line = alerts.readLine();
                    if (line.contains("\"gtin\":\"" + G2 + "\"") && line.contains("stock.phantom")) {
                        return true;
                    }
                }
                return false;
            });
            // and the event for an unregistered store is in the global dead letters, refused by the pipeline
            JsonArray letters = new JsonObject(http.adminGet("/v1/admin/deadletters?limit=20").body())
                .getJsonArray("items");
            assertThat(letters.stream().map(JsonObject.class::cast)
                .filter(l -> "http:NOPE/~epcis".equals(l.getString("topic"))))
                .singleElement().satisfies(l -> {
                    assertThat(l.getString("reason")).isEqualTo("store.unknown");
                    assertThat(l.getString("payload")).contains("urn:uuid:0b6a1c1e-0008");
                });

            // when the same document is captured again: nothing is applied twice
            JsonObject again = captured(doc);
            assertThat(outcomes(again)).containsExactly("0:duplicate", "1:duplicate", "2:duplicate", "3:duplicate",
                "4:refused:epcis:bizStep.unsupported", "5:refused:epcis:epcClass.not_gtin",
                "6:refused:epcis:quantity.missing", "7:refused:epcis:store.unknown",
                "8:refused:epcis:bizLocation.store_missing");
            assertThat(again.getInteger("applied")).isZero();
            assertThat(again.getInteger("duplicate")).isEqualTo(4);
            assertThat(lookup("E1", G1).getLong("bookCount")).isEqualTo(10);
            assertThat(lookup("E1", G2).getLong("bookCount")).isEqualTo(30);

            // an eventID used again for other content is refused, and changes nothing
            JsonObject reused = captured(document(List.of(event("urn:uuid:0b6a1c1e-0001", "E1", 10,
                quantity(G1_CLASS, 13) + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""))));
            assertThat(outcomes(reused)).containsExactly("0:refused:epcis:eventID.reused");
            assertThat(lookup("E1", G1).getLong("bookCount")).isEqualTo(10);

            // a new event applies as before
            JsonObject more = captured(document(List.of(event("urn:uuid:0b6a1c1e-0010", "E1", 5,
                quantity(G1_CLASS, 4) + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""))));
            assertThat(outcomes(more)).containsExactly("0:applied");
            assertThat(lookup("E1", G1).getLong("bookCount")).isEqualTo(14);
        } finally {
            handheld.destroyForcibly();
        }
    }

    @Test
    void onlyThePartnersTokenCapturesAndADocumentOverTheLimitsIsRefusedWhole() {
        String one = document(List.of(event("urn:uuid:lim-1", "E1", 5, quantity(G3_CLASS, 1)
            + ", \"action\": \"ADD\", \"bizStep\": \"receiving\"")));
        HttpResponse<String> none = http.send("POST", "/v1/epcis/capture", one);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("auth:token.missing");
        HttpResponse<String> admin = capture(one, TestNode.TOKEN, "application/json");
        assertThat(admin.statusCode()).as("the admin token is not a partner's").isEqualTo(401);
        assertThat(new JsonObject(admin.body()).getString("code")).isEqualTo("auth:token.invalid");

        HttpResponse<String> text = capture(one, TOKEN, "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> notEpcis = capture("{\"type\": \"Something\"}", TOKEN, "application/json");
        assertThat(notEpcis.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(notEpcis.body()).getString("code")).isEqualTo("epcis:document.invalid");

        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add(event("urn:uuid:many-" + i, "E1", 5, quantity(G3_CLASS, 1)
                + ", \"action\": \"ADD\", \"bizStep\": \"receiving\""));
        }
        HttpResponse<String> tooMany = capture(document(many), TOKEN, "application/ld+json");
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(tooMany.body()).getString("code")).isEqualTo("epcis:document.too_many_events");
        String huge = document(List.of(event("urn:uuid:huge", "E1", 5, quantity(G3_CLASS, 1)
            + ", \"action\": \"ADD\", \"bizStep\": \"receiving\", \"x\": \"" + "a".repeat(1 << 20) + "\"")));
        HttpResponse<String> tooLarge = capture(huge, TOKEN, "application/ld+json");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(tooLarge.body()).getString("code")).isEqualTo("epcis:document.too_large");
        // none of it was applied: the product was never reported
        assertThat(lookup("E1", "96385074").getString("confidence")).isEqualTo("none");
    }
}
