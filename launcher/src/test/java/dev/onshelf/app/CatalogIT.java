package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.catalog.Product;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue over the real stack: loaded from a file, kept by the admin API, searched by name. */
@ExtendWith(RealServices.class)
@Timeout(120)
class CatalogIT {
    private static final String OAT_BARISTA = "4006381333931";
    private static final String OAT_ORIGINAL = "5031230000015";
    private static final String CHOC = "96385074";
    private static final String OATCAKES = "036000291452";
    private static TestNode node;
    private static Http http;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalog.csv");
        Files.writeString(file, """
            gtin,name,brand,size,category
            %s,Oat Milk Barista 1 L,Avena Fields,1 L,Dairy alternatives
            %s,Oat Milk Original,Avena Fields,1 L,Dairy alternatives
            %s,Milk Chocolate Oat Bar,Cocoa Co,45 g,Snacks
            """.formatted(OAT_BARISTA, OAT_ORIGINAL, CHOC));
        node = TestNode.start(redis.url(), mosquitto.url(), "catalog-gateway",
            Map.of("ONSHELF_CATALOG_FILE", file.toString()));
        http = node.http();
        http.admin("/v1/admin/stores/C-1", "{\"name\": \"Catalogue St\", \"lat\": 50.1, \"lon\": -5.5}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String g(String gtin) {
        return dev.onshelf.core.model.Gtin.parse(gtin).value();
    }

    private static List<String> search(String q) {
        JsonArray items = http.getJson("/v1/products?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
            .getJsonArray("items");
        return items.stream().map(o -> ((JsonObject) o).getString("gtin")).toList();
    }

    @Test
    void theFileIsLoadedAndSearchRanksBestFirst() {
        // given the file's three products
        // then words and word prefixes of name and brand find them, best first
        // (of two equal matches the shorter name first; a match in the name's first word first)
        assertThat(search("oat mil")).containsExactly(g(OAT_ORIGINAL), g(OAT_BARISTA), g(CHOC));
        assertThat(search("milk")).first().isEqualTo(g(CHOC));
        assertThat(search("avena ORIG")).containsExactly(g(OAT_ORIGINAL));
        assertThat(search("barista")).containsExactly(g(OAT_BARISTA));
        assertThat(search("cheese")).isEmpty();
        assertThat(search("o")).isEmpty();
        assertThat(search(OAT_BARISTA)).containsExactly(g(OAT_BARISTA));
        JsonObject first = http.getJson("/v1/products?q=barista").getJsonArray("items").getJsonObject(0);
        assertThat(first.getString("name")).isEqualTo("Oat Milk Barista 1 L");
        assertThat(first.getString("brand")).isEqualTo("Avena Fields");
        assertThat(first.getString("category")).isEqualTo("Dairy alternatives");
        assertThat(http.getJson("/v1/products?q=oat&limit=1").getJsonArray("items")).hasSize(1);
        HttpResponse<String> tooMany = http.get("/v1/products?q=oat&limit=51");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(http.get("/v1/products").statusCode()).isEqualTo(400);
        assertThat(http.get("/v1/products?q=oat").headers().firstValue("X-RateLimit-Remaining")).isPresent();
    }

    @Test
    void answersAboutAProductCarryItsName() {
        JsonObject a = http.getJson("/v1/stores/C-1/products/" + OAT_BARISTA);
        assertThat(a.getString("name")).isEqualTo("Oat Milk Barista 1 L");
        assertThat(a.getString("size")).isEqualTo("1 L");
        JsonObject unnamed = http.getJson("/v1/stores/C-1/products/" + OATCAKES);
        assertThat(unnamed.containsKey("name")).isFalse();
        JsonArray basket = http.getJson("/v1/stores/C-1/products?gtins=" + CHOC + "," + OATCAKES).getJsonArray("items");
        assertThat(basket.getJsonObject(0).getString("name")).isEqualTo("Milk Chocolate Oat Bar");
        JsonArray across = http.getJson("/v1/products/" + OAT_ORIGINAL + "/availability?stores=C-1").getJsonArray("items");
        assertThat(across.getJsonObject(0).getString("brand")).isEqualTo("Avena Fields");
    }

    @Test
    void theAdminKeepsTheCatalogue() {
        // when a product is added
        HttpResponse<String> created = http.admin("/v1/admin/products/" + OATCAKES,
            "{\"name\": \"Highland Oatcakes\", \"brand\": \"Glenbrae\", \"size\": \"300 g\", \"imageUrl\": null}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(created.body()).getString("gtin")).isEqualTo("00" + OATCAKES);
        // then it is found, and answers about it carry its name at once
        assertThat(search("highland oat")).containsExactly(g(OATCAKES));
        assertThat(http.getJson("/v1/stores/C-1/products/" + OATCAKES).getString("name")).isEqualTo("Highland Oatcakes");
        // when it is renamed, the old words no longer find it
        assertThat(http.admin("/v1/admin/products/" + OATCAKES, "{\"name\": \"Rough Oatcakes\"}").statusCode())
            .isEqualTo(200);
        assertThat(search("highland")).isEmpty();
        assertThat(search("glenbrae")).isEmpty();
        assertThat(search("rough")).containsExactly(g(OATCAKES));
        // when it is deleted, it is gone from search and answers; a second delete is a 404
        assertThat(http.send("DELETE", "/v1/admin/products/" + OATCAKES, null,
            "Authorization", "Bearer " + TestNode.TOKEN).statusCode()).isEqualTo(204);
        assertThat(search("rough")).isEmpty();
        assertThat(http.getJson("/v1/stores/C-1/products/" + OATCAKES).containsKey("name")).isFalse();
        HttpResponse<String> again = http.send("DELETE", "/v1/admin/products/" + OATCAKES, null,
            "Authorization", "Bearer " + TestNode.TOKEN);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(again.body()).getString("code")).isEqualTo("catalog:product.unknown");
    }

    @Test
    void badBodiesAndCallersAreRefused() {
        HttpResponse<String> noName = http.admin("/v1/admin/products/" + OATCAKES, "{\"brand\": \"X\"}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noName.body()).getString("code")).isEqualTo("catalog:name.invalid");
        HttpResponse<String> badUrl = http.admin("/v1/admin/products/" + OATCAKES,
            "{\"name\": \"X\", \"imageUrl\": \"javascript:alert(1)\"}");
        assertThat(new JsonObject(badUrl.body()).getString("code")).isEqualTo("catalog:imageUrl.invalid");
        HttpResponse<String> badGtin = http.admin("/v1/admin/products/4006381333932", "{\"name\": \"X\"}");
        assertThat(new JsonObject(badGtin.body()).getString("code")).isEqualTo("availability:gtin.invalid");
        assertThat(http.put("/v1/admin/products/" + OATCAKES, "{\"name\": \"X\"}", null).statusCode()).isEqualTo(401);
        assertThat(search("x")).isEmpty();
    }

    @Test
    void theDemoCatalogueLoadsAndABadFileNamesItsLine(@TempDir Path dir) throws Exception {
        List<Product> demo = CatalogLoader.demo();
        assertThat(demo).hasSizeGreaterThan(300);
        assertThat(demo.get(0).gtin().value()).isEqualTo("0" + OAT_BARISTA);
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"gtin\": \"" + OAT_BARISTA + "\", \"name\": \"ok\"}\n{\"gtin\": \"123\", \"name\": \"x\"}\n");
        assertThatThrownBy(() -> CatalogLoader.load(bad, node.node().catalog()))
            .isInstanceOf(OnShelfConfig.ConfigException.class)
            .hasMessageContaining("bad.jsonl, line 2: gtin 123");
    }
}
