package dev.onshelf.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ValidationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link EventCodec#decode} against {@link TreeEventCodec}, the tree-based decoder it replaced: on
 * hand-picked payloads, the fuzzer's kept inputs and 20,000 mutants of valid
 * payloads (fixed seed), both must return the same event or refuse with the same reason and the
 * same detail, on every topic family.
 */
class EventCodecDifferentialTest {
    private static final String[] TOPICS = {"onshelf/v1/stores/0421/shelf/mat-07",
        "onshelf/v1/stores/0421/feed/till-3", "onshelf/v1/stores/0421/status/mat-07"};
    private static final long NOW = Instant.parse("2026-11-22T10:16:00Z").toEpochMilli();
    private static final String HEAD = "\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", ";
    private static final String GTIN = "\"gtin\": \"4006381333931\"";
    private final EventCodec codec = new EventCodec();
    private final TreeEventCodec reference = new TreeEventCodec();

    private static String outcome(Decoder decoder, String topic, byte[] payload) {
        try {
            return "event " + decoder.decode(topic, payload, NOW);
        } catch (ValidationException e) {
            return e.reason() + ": " + e.detail();
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private interface Decoder {
        Object decode(String topic, byte[] payload, long now);
    }

    private void agree(String topic, byte[] payload) {
        String expected = outcome(reference::decode, topic, payload);
        String actual = outcome(codec::decode, topic, payload);
        assertThat(actual).as("%s on %s", new String(payload, StandardCharsets.UTF_8), topic).isEqualTo(expected);
    }

    private void agreeOnAllTopics(byte[] payload) {
        for (String topic : TOPICS) {
            agree(topic, payload);
        }
    }

    private static List<String> handPicked() {
        List<String> out = new ArrayList<>(List.of(
            "{" + HEAD + GTIN + ", \"count\": 4, \"capacity\": 12, \"location\": \"A12-3\"}",
            "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 0}, {\"gtin\": \"96385074\", \"count\": 3}]}",
            "{" + HEAD + GTIN + ", \"type\": \"SALE\", \"qty\": 2, \"source\": \"till-3\", \"storeId\": \"0421\"}",
            "{" + HEAD + GTIN + ", \"type\": \"ADJUST\", \"qty\": -3, \"session\": \"boot-1\"}",
            "{\"state\": \"online\", \"heartbeatSeconds\": 60, \"ts\": \"2026-11-22T10:15:00Z\"}",
            "{\"state\": \"offline\", \"ts\": \"2026-11-22T10:15:00.5+01:00\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"ts\": \"2026-11-22T10:15:30.123456789Z\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"ts\": \"+2026-11-22T10:15:30Z\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"ts\": \"2026-11-22T10:15:60Z\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": " + "1".repeat(1200) + "}",
            "{" + HEAD + GTIN + ", \"count\": " + "1".repeat(1200) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": 1." + "1".repeat(1200) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1." + "0".repeat(1200) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": 1e999999999}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": NaN}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": 01}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": \"\\uZZZZ\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": 'single'}",
            "{" + HEAD + GTIN + ", \"count\": 1, /* comment */ \"y\": 1}",
            "{" + HEAD + GTIN + ", \"count\": 1,}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": " + "[".repeat(999) + "]".repeat(999) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": " + "[".repeat(1001) + "]".repeat(1001) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": " + "{\"a\":".repeat(1001) + "1" + "}".repeat(1001) + "}",
            "{" + HEAD + GTIN + ", \"count\": 1} {",
            "{" + HEAD + GTIN + ", \"count\": 1}}",
            "{" + HEAD + GTIN + ", \"count\": 1",
            "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 1}",
            "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 1}, ]}",
            "[" + "{" + HEAD + GTIN + ", \"count\": 1}" + "]",
            "\"unterminated", "[1, \"a", "tru", "nul", "{\"a\" 1}", "{1: 2}", "{\"a\": 1 \"b\": 2}"));
        out.add("{" + HEAD + "\"readings\": [" + ("{" + GTIN + ", \"count\": 1}, ").repeat(600) + "{}]}");
        out.add("{" + HEAD + "\"readings\": [" + ("{" + GTIN + ", \"count\": 1}, ").repeat(600) + "{]}");
        return out;
    }

    @Test
    void agreesOnHandPickedPayloads() {
        for (String json : handPicked()) {
            agreeOnAllTopics(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void agreesOnInvalidUtf8AndControlCharacters() {
        byte[][] inserts = {{(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0,
            (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {1}, {'\n'}, {(byte) 0x80}};
        String[] templates = {"{" + HEAD + GTIN + ", \"count\": 1, \"x\": \"a@b\"}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"location\": \"a@b\"}", "{" + HEAD + GTIN + ", \"count\": 1, \"x@\": 1}",
            "{" + HEAD + GTIN + ", \"count\": 1, \"x\": {\"y\": [\"@\"]}}"};
        for (String template : templates) {
            byte[] t = template.getBytes(StandardCharsets.UTF_8);
            int at = template.indexOf('@');
            for (byte[] insert : inserts) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(t, 0, at);
                b.write(insert, 0, insert.length);
                b.write(t, at + 1, t.length - at - 1);
                agreeOnAllTopics(b.toByteArray());
            }
        }
        agreeOnAllTopics(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
        agreeOnAllTopics(new byte[] {0, '{', 0, '}'});
    }

    @Test
    void agreesOnTheFuzzersKeptInputs() throws IOException {
        Path dir = Path.of("src/test/resources/dev/onshelf/core/codec/EventCodecFuzzTestInputs/decode");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.toList();
        }
        assertThat(inputs).isNotEmpty();
        for (Path input : inputs) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(input)) {
                bytes = in.readAllBytes();
            }
            if (bytes.length > 1) {
                agreeOnAllTopics(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
            }
        }
    }

    @Test
    void agreesOnMutantsOfValidPayloads() {
        List<byte[]> seeds = new ArrayList<>();
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(new Reading(Gtin.parse("4006381333931"), i, i == 0 ? -1 : 10 + i, i % 2 == 0 ? "" : "A" + i));
        }
        seeds.add(codec.encodeShelf("id-1", 5, NOW - 1000, readings.subList(0, 1)));
        seeds.add(codec.encodeShelf("id-2", 6, NOW - 1000, readings));
        seeds.add(codec.encodeFeed("id-3", 7, NOW, EventType.SALE, Gtin.parse("96385074"), 2));
        seeds.add(codec.encodeFeed("id-4", 8, NOW, EventType.ADJUST, Gtin.parse("96385074"), -2));
        seeds.add(codec.encodeStatus(true, 30, NOW));
        for (String json : handPicked().subList(0, 8)) {
            seeds.add(json.getBytes(StandardCharsets.UTF_8));
        }
        byte[] alphabet = "{}[]:,\"\\ 0123456789-+.eEtrufalsn\u00e9xgtincoqysdT Z".getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(20261129L);
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] mutant = mutate(mutate(seed, random, alphabet), random, alphabet);
            agree(TOPICS[random.nextInt(TOPICS.length)], mutant);
        }
    }

    /** One random edit: replace, insert or delete a byte, cut the tail, or repeat a span. */
    private static byte[] mutate(byte[] in, SplittableRandom random, byte[] alphabet) {
        if (in.length == 0) {
            return in;
        }
        int at = random.nextInt(in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        switch (random.nextInt(5)) {
            case 0 -> {
                out.write(in, 0, at);
                out.write(alphabet[random.nextInt(alphabet.length)]);
                out.write(in, at + 1, in.length - at - 1);
            }
            case 1 -> {
                out.write(in, 0, at);
                out.write(alphabet[random.nextInt(alphabet.length)]);
                out.write(in, at, in.length - at);
            }
            case 2 -> {
                out.write(in, 0, at);
                out.write(in, at + 1, in.length - at - 1);
            }
            case 3 -> out.write(in, 0, at);
            default -> {
                int len = Math.min(random.nextInt(1, 24), in.length - at);
                out.write(in, 0, at + len);
                out.write(in, at, in.length - at);
            }
        }
        return out.toByteArray();
    }
}
