package dev.onshelf.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogFileTest {

    private static List<Product> csv(String text) throws IOException {
        return CatalogFile.parse(new StringReader(text), CatalogFile.Format.CSV);
    }

    private static List<Product> jsonl(String text) throws IOException {
        return CatalogFile.parse(new StringReader(text), CatalogFile.Format.JSON_LINES);
    }

    @Test
    void csvWithHeaderQuotesAndOptionalColumns() throws IOException {
        List<Product> products = csv("""
            GTIN,Name,Brand,Size,Category,ImageUrl,shelfLife
            4006381333931,"Oat Milk Barista, 1 L",Oatly-ish,1 L,Dairy alternatives,https://img.example/1.png,7
            96385074,"Say ""cheese""\",,,,,

            036000291452,Plain Crackers
            """);
        assertThat(products).hasSize(3);
        Product first = products.get(0);
        assertThat(first.gtin().value()).isEqualTo("04006381333931");
        assertThat(first.name()).isEqualTo("Oat Milk Barista, 1 L");
        assertThat(first.brand()).isEqualTo("Oatly-ish");
        assertThat(first.imageUrl()).isEqualTo("https://img.example/1.png");
        assertThat(products.get(1).name()).isEqualTo("Say \"cheese\"");
        assertThat(products.get(1).brand()).isNull();
        assertThat(products.get(2).category()).isNull();
    }

    @Test
    void jsonLines() throws IOException {
        List<Product> products = jsonl("""
            {"gtin": "4006381333931", "name": "Oat Milk", "brand": "Oaty", "size": "1 L"}

            {"gtin": 96385074, "name": "Crackers", "imageUrl": null, "other": 3}
            """);
        assertThat(products).extracting(Product::name).containsExactly("Oat Milk", "Crackers");
        assertThat(products.get(1).gtin().value()).isEqualTo("00000096385074");
    }

    @Test
    void badRowsNameTheirLine() {
        assertThatThrownBy(() -> csv("gtin,name\n4006381333931,Oat Milk\n4006381333932,Bad Check\n"))
            .isInstanceOf(CatalogFile.Error.class).hasMessageStartingWith("line 3: gtin 4006381333932")
            .hasMessageContaining("check digit");
        assertThatThrownBy(() -> csv("gtin,name\n4006381333931,\n"))
            .hasMessage("line 2: name is required (1 to 200 characters)");
        assertThatThrownBy(() -> csv("gtin,brand\n4006381333931,x\n"))
            .hasMessageStartingWith("line 1: the header row has no name column");
        assertThatThrownBy(() -> csv("gtin,name\n4006381333931,\"Oat\n"))
            .hasMessageStartingWith("line 2: a quoted field is not closed");
        assertThatThrownBy(() -> csv("gtin,name\n4006381333931,Oat\n\n4006381333931,Again\n"))
            .hasMessage("line 4: GTIN 04006381333931 is already on line 2");
        assertThatThrownBy(() -> csv("gtin,name,imageUrl\n4006381333931,Oat,javascript:alert(1)\n"))
            .hasMessageStartingWith("line 2: imageUrl must be an http(s) URL");
        assertThatThrownBy(() -> csv(""))
            .hasMessageStartingWith("line 1: no header row");
        assertThatThrownBy(() -> jsonl("{\"gtin\": \"4006381333931\", \"name\": \"Oat\"}\n{\"gtin\": \"96385074\",\n"))
            .hasMessageStartingWith("line 2: not JSON");
        assertThatThrownBy(() -> jsonl("[1, 2]\n"))
            .hasMessage("line 1: each line must be one JSON object");
        assertThatThrownBy(() -> jsonl("{\"gtin\": \"96385074\", \"name\": 5}\n"))
            .hasMessage("line 1: name must be a string");
    }

    @Test
    void formatByNameThenByContent() {
        assertThat(CatalogFile.formatOf("products.CSV", "{")).isEqualTo(CatalogFile.Format.CSV);
        assertThat(CatalogFile.formatOf("p.jsonl", "gtin")).isEqualTo(CatalogFile.Format.JSON_LINES);
        assertThat(CatalogFile.formatOf("p.txt", " {\"gtin\"")).isEqualTo(CatalogFile.Format.JSON_LINES);
        assertThat(CatalogFile.formatOf("p.txt", "gtin,name")).isEqualTo(CatalogFile.Format.CSV);
    }
}
