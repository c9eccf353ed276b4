package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The product codec is stated once: the scripts that write product values carry the same text. */
class ProductCodecTest {
    private static final String BEGIN = "-- BEGIN product codec";
    private static final String END = "-- END product codec";

    @Test
    void everyScriptThatWritesProductsHasTheSameCodec() {
        assertThat(block("threshold.lua")).isEqualTo(block("apply.lua"));
    }

    @Test
    void theVersionByteIsTheOneJavaExpects() {
        assertThat(block("apply.lua")).contains("local out, slots = {" + StateCodec.VERSION + "}, {}");
    }

    @Test
    void noScriptReadsProductsAsJsonAlone() {
        for (String script : List.of("apply.lua", "threshold.lua")) {
            String text = text(script).replace(block(script), "");
            assertThat(text).as(script).doesNotContain("cjson.decode(raw)").doesNotContain("cjson.encode(p)");
        }
    }

    static String block(String script) {
        String text = text(script);
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END);
        assertThat(from).as("codec block in %s", script).isGreaterThanOrEqualTo(0);
        return text.substring(text.indexOf('\n', from) + 1, to);
    }

    private static String text(String script) {
        try (InputStream in = ProductCodecTest.class.getResourceAsStream("/onshelf/lua/" + script)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
