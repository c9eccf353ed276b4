package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shoppers' batch and nearby reads, and conditional GETs, over the real stack. */
@ExtendWith(RealServices.class)
@Timeout(120)
class ShopperReadsIT {
    private static final String A = "4006381333931";
    private static final String B = "96385074";
    private static TestNode node;
    private static Http http;

    @BeforeAll
    static void start(RedisTarget redis, MosquittoProcess mosquitto) throws Exception {
        int mqtt = mosquitto.port();
        node = TestNode.start(redis, mosquitto.url(), "reads-gateway", Map.of());
        http = node.http();
        // three stores: two in Edinburgh's old town (far from other tests' stores), one in Glasgow
        String[][] stores = {{"R-near1", "55.9486", "-3.1999", "5"}, {"R-near2", "55.9500", "-3.1880", "0"},
            {"R-far", "55.8642", "-4.2518", "7"}};
        int seq = 0;
        for (String[] s : stores) {
            http.admin("/v1/admin/stores/" + s[0], "{\"name\": \"" + s[0] + "\", \"lat\": " + s[1] + ", \"lon\": " + s[2] + "}");
            http.admin("/v1/admin/stores/" + s[0] + "/devices/" + s[0] + "-mat", "{\"kind\": \"shelf\"}");
            MosquittoPub.publish(mqtt, "onshelf/v1/stores/" + s[0] + "/shelf/" + s[0] + "-mat",
                "{\"eventId\": \"e\", \"seq\": " + (++seq) + ", \"ts\": \"" + Instant.now() + "\", \"readings\": ["
                    + "{\"gtin\": \"" + A + "\", \"count\": " + s[3] + "}, {\"gtin\": \"" + B + "\", \"count\": 1}]}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
            http.getJson("/v1/stores/R-far/products/" + A).getInteger("shelfCount") != null);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aBasketInOneStore() {
        JsonObject basket = http.getJson("/v1/stores/R-near1/products?gtins=" + A + "," + B + ",036000291452");
        JsonArray items = basket.getJsonArray("items");
        assertThat(items).hasSize(3);
        assertThat(items.getJsonObject(0).getInteger("shelfCount")).isEqualTo(5);
        assertThat(items.getJsonObject(1).getString("availability")).isEqualTo("LimitedAvailability");
        assertThat(items.getJsonObject(2).getString("confidence")).isEqualTo("none");
        HttpResponse<String> bad = http.get("/v1/stores/R-near1/products?gtins=" + A + ",4006381333932");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("code")).isEqualTo("availability:gtin.invalid");
        HttpResponse<String> none = http.get("/v1/stores/R-near1/products");
        assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("request:gtins.missing");
        StringBuilder gtins = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            gtins.append(i == 0 ? "" : ",").append(dev.onshelf.core.model.Gtin.fromBody(String.format("0501234500%03d", i)));
        }
        assertThat(new JsonObject(http.get("/v1/stores/R-near1/products?gtins=" + gtins).body()).getString("code"))
            .isEqualTo("request:gtins.too_many");
    }

    @Test
    void oneProductAcrossStores() {
        JsonArray items = http.getJson("/v1/products/" + A + "/availability?stores=R-near1,R-near2,R-far")
            .getJsonArray("items");
        assertThat(items.stream().map(o -> ((JsonObject) o).getBoolean("onShelf"))).containsExactly(true, false, true);
    }

    @Test
    void nearbyStoresThatHaveItOnTheShelfNearestFirst() {
        JsonObject near = http.getJson("/v1/products/" + A + "/nearby?lat=55.9487&lon=-3.2000&radiusKm=5");
        JsonArray items = near.getJsonArray("items");
        // R-near2 has an empty shelf, R-far is 67 km away
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).getString("storeId")).isEqualTo("R-near1");
        assertThat(items.getJsonObject(0).getDouble("distanceKm")).isLessThan(0.1);
        JsonArray both = http.getJson("/v1/products/" + B + "/nearby?lat=55.9487&lon=-3.2000&radiusKm=5")
            .getJsonArray("items");
        assertThat(both.stream().map(o -> ((JsonObject) o).getString("storeId"))).containsExactly("R-near1", "R-near2");
        assertThat(new JsonObject(http.get("/v1/products/" + A + "/nearby?lon=-0.13").body()).getString("code"))
            .isEqualTo("request:lat.missing");
        assertThat(new JsonObject(http.get("/v1/products/" + A + "/nearby?lat=51.5&lon=-0.13&radiusKm=1000").body())
            .getString("code")).isEqualTo("request:radiusKm.invalid");
    }

    @Test
    void aRepeatedReadIsNotModified() throws Exception {
        HttpResponse<String> first = http.get("/v1/stores/R-far/products/" + A);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=1");
        HttpResponse<String> again = http.send("GET", "/v1/stores/R-far/products/" + A, null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        // weak comparison: the same tag without W/, or among others, or "*"
        assertThat(http.send("GET", "/v1/stores/R-far/products/" + A, null, "If-None-Match",
            "\"nope\", " + etag.substring(2)).statusCode()).isEqualTo(304);
        assertThat(http.send("GET", "/v1/stores/R-far/products/" + A, null, "If-None-Match", "*").statusCode())
            .isEqualTo(304);
        assertThat(http.send("GET", "/v1/stores/R-far/products/" + A, null, "If-None-Match", "W/\"0\"").statusCode())
            .isEqualTo(200);
    }

    @Test
    void aGtinAskedTwiceInTwoSpellingsIsAnsweredOnce() {
        JsonArray items = http.getJson("/v1/stores/R-near1/products?gtins=" + A + ",0" + A + "," + A).getJsonArray("items");
        assertThat(items).hasSize(1);
    }

    @Test
    void storesCanBeFoundWithTheirPositions() {
        JsonArray stores = http.getJson("/v1/stores").getJsonArray("items");
        JsonObject far = stores.stream().map(JsonObject.class::cast).filter(s -> s.getString("storeId").equals("R-far"))
            .findFirst().orElseThrow();
        assertThat(far.getDouble("lat")).isEqualTo(55.8642);
        assertThat(far.getString("name")).isEqualTo("R-far");
        assertThat(http.getJson("/v1/stores/R-near1").getDouble("lon")).isEqualTo(-3.1999);
        HttpResponse<String> unknown = http.get("/v1/stores/R-nowhere");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("registry:store.unknown");
        // a typo in a store code is a 404 on every read, not an eternal "nothing known"
        for (String path : new String[] {"/v1/stores/R-nowhere/products/" + A, "/v1/stores/R-nowhere/products?gtins=" + A,
            "/v1/products/" + A + "/availability?stores=R-far,R-nowhere", "/v1/stores/R-nowhere/changes"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new JsonObject(r.body()).getString("detail")).as(path).contains("R-nowhere");
        }
    }
}
