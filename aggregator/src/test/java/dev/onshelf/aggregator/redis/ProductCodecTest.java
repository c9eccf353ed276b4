package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The product codec is stated once (product_codec.lua), and every script that touches products runs it. */
class ProductCodecTest {

    @Test
    void everyScriptThatWritesProductsRunsTheOneCodec() {
        for (String script : List.of("apply.lua", "threshold.lua")) {
            assertThat(LuaScript.text(script)).as(script).contains(codec()).doesNotContainPattern("(?m)^-- #include");
        }
    }

    @Test
    void theVersionIsTheOneJavaExpects() {
        // version 2: the first byte is 0x80 + the low flags, which StateCodec tells by its high bit
        assertThat(StateCodec.VERSION).isEqualTo(2);
        assertThat(codec()).contains("local out, text = {128 + f % 64}, {}");
    }

    @Test
    void noScriptReadsProductsAsJsonAlone() {
        for (String script : List.of("apply.lua", "threshold.lua")) {
            String text = LuaScript.text(script).replace(codec(), "");
            assertThat(text).as(script).doesNotContain("cjson.decode(raw)").doesNotContain("cjson.encode(p)");
        }
    }

    static String codec() {
        return LuaScript.text("product_codec.lua");
    }
}
