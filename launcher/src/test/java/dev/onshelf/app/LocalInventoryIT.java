package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Google's local inventory feed over the real stack (issue 14, item 2): a store with products in stock,
 * low, out, phantom, on the books only, and unknown (a stale reading, a sensor gone offline), plus 200
 * more spread over most of its buckets; the feed, as TSV and as JSON, is compared row by row with the
 * per-product lookups. A second node that hides exact counts sends no quantity; its rate limit holds.
 */
@ExtendWith(RealServices.class)
@Timeout(180)
class LocalInventoryIT {
    private static final String S1 = "LI-1";
    private static final String S2 = "LI-2";
    private static final String IN = Gtin.fromBody("0501111000001").value();
    private static final String LOW = Gtin.fromBody("0501111000002").value();
    private static final String OUT = Gtin.fromBody("0501111000003").value();
    private static final String STALE = Gtin.fromBody("0501111000004").value();
    private static final String PHANTOM = Gtin.fromBody("0501111000005").value();
    private static final String BOOKS = Gtin.fromBody("0501111000006").value();
    private static final String OFFLINE = Gtin.fromBody("0501111000007").value();
    private static final int BULK = 200;
    private static TestNode node;
    private static TestNode hidden;
    private static Http http;
    private static final List<String> ALL = new ArrayList<>();

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        int mqtt = mosquitto.port();
        node = TestNode.start(redis.url(), mosquitto.url(), "feed-gateway",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "100000"));
        hidden = TestNode.start(redis.url(), mosquitto.url(), "feed-gateway-hidden",
            Map.of("ONSHELF_PUBLIC_COUNTS", "false", "ONSHELF_RATE_LIMIT_PER_SECOND", "5"));
        http = node.http();
        // given two stores, the first with click-and-collect settings
        assertThat(http.admin("/v1/admin/stores/" + S1, "{\"name\": \"Feed One\", \"lat\": 52.37, \"lon\": 4.89, "
            + "\"pickupMethod\": \"buy\", \"pickupSla\": \"same_day\"}").statusCode()).isEqualTo(201);
        http.admin("/v1/admin/stores/" + S2, "{\"name\": \"Feed Two\", \"lat\": 52.36, \"lon\": 4.90}");
        for (String[] d : new String[][] {{S1, "li1-mat", "shelf"}, {S1, "li1-old", "shelf"}, {S1, "li1-off", "shelf"},
            {S1, "li1-till", "feed"}, {S2, "li2-mat", "shelf"}}) {
            http.admin("/v1/admin/stores/" + d[0] + "/devices/" + d[1], "{\"kind\": \"" + d[2] + "\"}");
        }
        Instant now = Instant.now();
        StringBuilder readings = new StringBuilder();
        readings.append(reading(IN, 8)).append(',').append(reading(LOW, 1)).append(',').append(reading(OUT, 0))
            .append(',').append(reading(PHANTOM, 0));
        ALL.addAll(List.of(IN, LOW, OUT, STALE, PHANTOM, BOOKS, OFFLINE));
        for (int i = 0; i < BULK; i++) {  // consecutive GTINs: each in a bucket of its own
            String g = Gtin.fromBody(String.format("0502222%06d", i)).value();
            ALL.add(g);
            readings.append(',').append(reading(g, i % 5));
        }
        MosquittoPub.publish(mqtt, topic(S1, "shelf", "li1-mat"), "{\"eventId\": \"m1\", \"seq\": 1, \"ts\": \"" + now
            + "\", \"readings\": [" + readings + "]}");
        // a reading two hours old (stale), and a fresh one from a sensor that then says it is offline
        MosquittoPub.publish(mqtt, topic(S1, "shelf", "li1-old"), "{\"eventId\": \"o1\", \"seq\": 1, \"ts\": \""
            + now.minus(Duration.ofHours(2)) + "\", \"gtin\": \"" + STALE + "\", \"count\": 40}");
        MosquittoPub.publish(mqtt, topic(S1, "shelf", "li1-off"), "{\"eventId\": \"f1\", \"seq\": 1, \"ts\": \""
            + now.minusSeconds(10) + "\", \"gtin\": \"" + OFFLINE + "\", \"count\": 6}");
        MosquittoPub.publish(mqtt, topic(S1, "status", "li1-off"), "{\"state\": \"offline\", \"ts\": \"" + now + "\"}");
        // the books: phantom stock behind an empty shelf, and a product known from the books alone
        MosquittoPub.publish(mqtt, topic(S1, "feed", "li1-till"), "{\"eventId\": \"c1\", \"seq\": 1, \"ts\": \"" + now
            + "\", \"type\": \"COUNT\", \"gtin\": \"" + PHANTOM + "\", \"qty\": 6}");
        MosquittoPub.publish(mqtt, topic(S1, "feed", "li1-till"), "{\"eventId\": \"c2\", \"seq\": 2, \"ts\": \"" + now
            + "\", \"type\": \"COUNT\", \"gtin\": \"" + BOOKS + "\", \"qty\": 20}");
        MosquittoPub.publish(mqtt, topic(S2, "shelf", "li2-mat"), "{\"eventId\": \"m1\", \"seq\": 1, \"ts\": \"" + now
            + "\", \"gtin\": \"" + IN + "\", \"count\": 3}");
        await().atMost(Duration.ofSeconds(15)).until(() ->
            lookup(S1, PHANTOM).getLong("bookCount", -1L) == 6 && lookup(S1, BOOKS).getLong("bookCount", -1L) == 20
                && "low".equals(lookup(S1, OFFLINE).getString("confidence"))
                && lookup(S1, STALE).getInteger("shelfCount", -1) == 40
                && lookup(S1, ALL.get(ALL.size() - 1)).getInteger("shelfCount", -1) == (BULK - 1) % 5
                && lookup(S2, IN).getInteger("shelfCount", -1) == 3);
    }

    @AfterAll
    static void stop() {
        hidden.close();
        node.close();
    }

    private static String reading(String gtin, int count) {
        return "{\"gtin\": \"" + gtin + "\", \"count\": " + count + "}";
    }

    private static String topic(String store, String kind, String device) {
        return "onshelf/v1/stores/" + store + "/" + kind + "/" + device;
    }

    private static JsonObject lookup(String store, String gtin) {
        return http.getJson("/v1/stores/" + store + "/products/" + gtin);
    }

    /** The row the lookup's answer should give, by the feed's documented rules (quantity "" when none). */
    private static Map<String, String> expected(String store, JsonObject answer, boolean counts, String method,
                                                String sla) {
        Boolean onShelf = answer.getBoolean("onShelf");
        String availability = onShelf == null ? "out_of_stock" : switch (answer.getString("availability")) {
            case "InStock" -> "in_stock";
            case "LimitedAvailability" -> "limited_availability";
            default -> "out_of_stock";
        };
        String quantity = "";
        if (onShelf != null && counts) {
            quantity = "high".equals(answer.getString("confidence")) ? answer.getInteger("shelfCount").toString()
                : Long.toString(Math.max(0, answer.getLong("bookCount")));
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("store_code", store);
        row.put("id", answer.getString("gtin"));
        row.put("availability", availability);
        if (counts) {
            row.put("quantity", quantity);
        }
        row.put("pickup_method", method);
        row.put("pickup_sla", sla);
        return row;
    }

    private static List<Map<String, String>> tsv(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/tab-separated-values; charset=utf-8");
        String[] lines = r.body().split("\n", -1);
        assertThat(lines[lines.length - 1]).as("ends with a line break").isEmpty();
        String[] header = lines[0].split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String[] cells = lines[i].split("\t", -1);
            assertThat(cells).as(lines[i]).hasSize(header.length);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> json(HttpResponse<String> r, boolean counts) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        List<Map<String, String>> rows = new ArrayList<>();
        for (Object o : items) {
            JsonObject j = (JsonObject) o;
            Map<String, String> row = new LinkedHashMap<>();
            row.put("store_code", j.getString("store_code"));
            row.put("id", j.getString("id"));
            row.put("availability", j.getString("availability"));
            if (counts) {
                row.put("quantity", j.containsKey("quantity") ? j.getLong("quantity").toString() : "");
            } else {
                assertThat(j.containsKey("quantity")).as("no quantity without public counts").isFalse();
            }
            row.put("pickup_method", j.getString("pickup_method", ""));
            row.put("pickup_sla", j.getString("pickup_sla", ""));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> rows) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        rows.forEach(r -> assertThat(out.put(r.get("id"), r)).as("one row per product: " + r).isNull());
        return out;
    }

    @Test
    void theFeedSaysWhatTheLookupsSayRowByRowAsTsvAndJson() {
        // when the store's feed is asked for as TSV (Accept) and as JSON (format)
        HttpResponse<String> tsvAnswer = http.send("GET", "/v1/stores/" + S1 + "/local-inventory", null,
            "Accept", "text/tab-separated-values");
        assertThat(tsvAnswer.headers().firstValue("X-RateLimit-Remaining")).as("rate-limited").isPresent();
        assertThat(tsvAnswer.body()).startsWith("store_code\tid\tavailability\tquantity\tpickup_method\tpickup_sla\n");
        Map<String, Map<String, String>> tsv = byId(tsv(tsvAnswer));
        Map<String, Map<String, String>> json = byId(json(http.get("/v1/stores/" + S1 + "/local-inventory?format=json"),
            true));
        // then every product the store reported has one row, and each row is its lookup's answer
        assertThat(tsv.keySet()).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(json).isEqualTo(tsv);
        for (String gtin : ALL) {
            assertThat(tsv.get(gtin)).as(gtin).isEqualTo(expected(S1, lookup(S1, gtin), true, "buy", "same_day"));
        }
        // and the cases that matter are what they should be
        assertThat(tsv.get(IN)).containsEntry("availability", "in_stock").containsEntry("quantity", "8");
        assertThat(tsv.get(LOW)).containsEntry("availability", "limited_availability").containsEntry("quantity", "1");
        assertThat(tsv.get(OUT)).containsEntry("availability", "out_of_stock").containsEntry("quantity", "0");
        assertThat(tsv.get(PHANTOM)).containsEntry("availability", "out_of_stock").containsEntry("quantity", "0");
        assertThat(tsv.get(BOOKS)).containsEntry("availability", "in_stock").containsEntry("quantity", "20");
        for (String unknown : List.of(STALE, OFFLINE)) {  // the last readings said 40 and 6: never in_stock
            assertThat(lookup(S1, unknown).getValue("onShelf")).isNull();
            assertThat(tsv.get(unknown)).containsEntry("availability", "out_of_stock").containsEntry("quantity", "");
        }
        assertThat(tsv.values().stream().map(r -> r.get("availability")).distinct())
            .contains("in_stock", "limited_availability", "out_of_stock");
    }

    @Test
    void unknownAnswersCanBeLeftOut() {
        Map<String, Map<String, String>> rows = byId(tsv(http.get("/v1/stores/" + S1 + "/local-inventory?unknown=omit")));
        assertThat(rows).doesNotContainKeys(STALE, OFFLINE).containsKeys(IN, OUT, PHANTOM);
        assertThat(rows).hasSize(ALL.size() - 2);
    }

    @Test
    void theWholeFeedIsEveryStoresFeedInOrderOfTheirCodes() {
        List<Map<String, String>> all = tsv(http.get("/v1/local-inventory"));
        List<Map<String, String>> mine = all.stream().filter(r -> r.get("store_code").startsWith("LI-")).toList();
        List<Map<String, String>> expected = new ArrayList<>(tsv(http.get("/v1/stores/" + S1 + "/local-inventory")));
        expected.addAll(tsv(http.get("/v1/stores/" + S2 + "/local-inventory")));
        assertThat(mine).isEqualTo(expected);
        assertThat(mine.get(mine.size() - 1)).isEqualTo(expected(S2, lookup(S2, IN), true, "", ""));
        Set<String> stores = new TreeSet<>();
        all.forEach(r -> stores.add(r.get("store_code")));
        assertThat(all.stream().map(r -> r.get("store_code")).toList()).as("stores in order of their codes")
            .isSorted();
        assertThat(json(http.send("GET", "/v1/local-inventory", null, "Accept", "application/json"), true)
            .stream().filter(r -> r.get("store_code").startsWith("LI-")).toList()).isEqualTo(expected);
    }

    @Test
    void badRequestsGetSpecificProblems() {
        HttpResponse<String> unknownStore = http.get("/v1/stores/LI-nowhere/local-inventory");
        assertThat(unknownStore.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknownStore.body()).getString("code")).isEqualTo("registry:store.unknown");
        HttpResponse<String> format = http.get("/v1/stores/" + S1 + "/local-inventory?format=xml");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(format.body()).getString("code")).isEqualTo("request:format.invalid");
        HttpResponse<String> unknown = http.get("/v1/local-inventory?unknown=in_stock");
        assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("request:unknown.invalid");
        HttpResponse<String> png = http.send("GET", "/v1/stores/" + S1 + "/local-inventory", null, "Accept", "image/png");
        assertThat(png.statusCode()).isEqualTo(406);
        assertThat(new JsonObject(png.body()).getString("code")).isEqualTo("feed:format.not_acceptable");
        HttpResponse<String> noSla = http.admin("/v1/admin/stores/LI-3", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1, "
            + "\"pickupMethod\": \"buy\"}");
        assertThat(noSla.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noSla.body()).getString("code")).isEqualTo("registry:pickup.invalid");
        assertThat(new JsonObject(noSla.body()).getString("detail")).contains("needs a pickupSla");
        HttpResponse<String> teleport = http.admin("/v1/admin/stores/LI-3", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1, "
            + "\"pickupMethod\": \"teleport\", \"pickupSla\": \"same_day\"}");
        assertThat(new JsonObject(teleport.body()).getString("code")).isEqualTo("registry:pickupMethod.invalid");
        assertThat(http.get("/v1/stores/LI-3").statusCode()).as("refused registrations change nothing").isEqualTo(404);
    }

    @Test
    void withoutPublicCountsThereIsNoQuantityAndTheRateLimitHolds() {
        Http h = hidden.http();
        List<Map<String, String>> rows = tsv(h.get("/v1/stores/" + S1 + "/local-inventory"));
        assertThat(rows.get(0).keySet()).containsExactly("store_code", "id", "availability", "pickup_method", "pickup_sla");
        Map<String, Map<String, String>> tsv = byId(rows);
        assertThat(byId(json(h.get("/v1/stores/" + S1 + "/local-inventory?format=json"), false))).isEqualTo(tsv);
        assertThat(tsv.get(IN)).containsEntry("availability", "in_stock");
        assertThat(tsv.get(LOW)).containsEntry("availability", "limited_availability");
        assertThat(tsv.get(STALE)).containsEntry("availability", "out_of_stock");
        // at 5 a second, a burst from one client is refused with 429 and Retry-After
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = h.get("/v1/stores/" + S1 + "/local-inventory?unknown=omit");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(statuses).contains(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(limited.body()).getString("code")).isEqualTo("http:rate_limited");
    }
}
