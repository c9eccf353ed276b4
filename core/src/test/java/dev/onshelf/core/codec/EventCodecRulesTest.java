package dev.onshelf.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The decoder's rules that {@link EventCodecTest} does not spell out, pinned on the tree-based
 * decoder before the payload was read with a streaming parser (2026-11-29), so that both read
 * the same payloads the same way: repeated keys, field order, skipped values, aliases, numbers,
 * which check speaks first when several fail, and the detail texts devices see.
 */
class EventCodecRulesTest {
    private static final String SHELF = "onshelf/v1/stores/0421/shelf/mat-07";
    private static final String FEED = "onshelf/v1/stores/0421/feed/till-3";
    private static final String STATUS = "onshelf/v1/stores/0421/status/mat-07";
    private static final long NOW = Instant.parse("2026-11-22T10:16:00Z").toEpochMilli();
    private static final String HEAD = "\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", ";
    private static final String GTIN = "\"gtin\": \"4006381333931\"";
    private final EventCodec codec = new EventCodec();

    private Event decode(String topic, String json) {
        return codec.decode(topic, json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private ShelfEvent shelf(String json) {
        return (ShelfEvent) decode(SHELF, json);
    }

    /** "REASON: detail" of the refusal. */
    private String refusal(String topic, String json) {
        try {
            decode(topic, json);
        } catch (ValidationException e) {
            return e.reason() + ": " + e.detail();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void theLastOfARepeatedKeyWins() {
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"count\": 2}").readings().get(0).count()).isEqualTo(2);
        assertThat(shelf("{" + HEAD + "\"gtin\": 5, " + GTIN + ", \"count\": 1}").readings()).hasSize(1);
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"seq\": null}"))
            .isEqualTo("FIELD_MISSING: seq is required");
        assertThat(shelf("{" + HEAD + "\"readings\": 7, \"readings\": [{" + GTIN + ", \"count\": 3}]}").readings())
            .extracting(Reading::count).containsExactly(3);
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 3}], \"readings\": null}"))
            .isEqualTo("FIELD_INVALID: readings must be a non-empty array");
        assertThat(shelf("{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 3, \"count\": 4}]}").readings())
            .extracting(Reading::count).containsExactly(4);
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"storeId\": \"9999\", \"storeId\": \"0421\"}").seq())
            .isEqualTo(1);
    }

    @Test
    void fieldsMayComeInAnyOrderAndAfterTheReadings() {
        ShelfEvent e = shelf("{\"readings\": [{\"count\": 5, \"location\": \"L\", " + GTIN + "}], \"seq\": 9,"
            + " \"session\": \"b1\", \"ts\": \"2026-11-22T10:15:30Z\", \"eventId\": \"x\"}");
        assertThat(e.seq()).isEqualTo(9);
        assertThat(e.eventId()).isEqualTo("x");
        assertThat(e.session()).isEqualTo("b1");
        assertThat(e.readings()).extracting(Reading::location).containsExactly("L");
        FeedEvent f = (FeedEvent) decode(FEED, "{\"qty\": 2, " + GTIN + ", \"type\": \"SALE\", " + HEAD + "\"x\": 1}");
        assertThat(f.qty()).isEqualTo(2);
    }

    @Test
    void unknownValuesOfAnyShapeAreSkippedAndTheirInsidesIgnored() {
        ShelfEvent e = shelf("{\"extra\": {\"seq\": 99, \"gtin\": \"x\", \"deep\": [[{\"readings\": []}], {}]}, "
            + HEAD + "\"list\": [1, 2.5, \"s\", null, true, {\"count\": -1}], " + GTIN + ", \"count\": 1,"
            + " \"flag\": false, \"n\": null, \"big\": 123456789012345678901234567890, \"f\": -1.5e300}");
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.readings()).extracting(Reading::count).containsExactly(1);
        ShelfEvent nested = shelf("{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 2, \"readings\": [5],"
            + " \"seq\": \"no\", \"more\": {\"count\": 7}}]}");
        assertThat(nested.readings()).extracting(Reading::count).containsExactly(2);
    }

    @Test
    void aBatchIgnoresTheRootsReadingFields() {
        ShelfEvent e = shelf("{" + HEAD + "\"gtin\": \"bad\", \"count\": -5, \"readings\": [{" + GTIN + ", \"count\": 1}]}");
        assertThat(e.readings()).extracting(Reading::count).containsExactly(1);
    }

    @Test
    void aBatchIsANonEmptyArrayOfObjectsAndTheFirstBadReadingSpeaks() {
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": null}"))
            .isEqualTo("FIELD_INVALID: readings must be a non-empty array");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": {" + GTIN + ", \"count\": 1}}"))
            .isEqualTo("FIELD_INVALID: readings must be a non-empty array");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [null]}"))
            .isEqualTo("FIELD_INVALID: each reading must be an object");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 1}, 3]}"))
            .isEqualTo("FIELD_INVALID: each reading must be an object");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [{\"gtin\": \"4006381333932\", \"count\": 1}, 3]}"))
            .isEqualTo("GTIN_INVALID: GTIN check digit is 2, expected 1");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [{" + GTIN + ", \"count\": 1}, {" + GTIN + "}]}"))
            .isEqualTo("FIELD_MISSING: count is required");
        String tooMany = ("{" + GTIN + ", \"count\": 1}, ").repeat(500) + "7";
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [" + tooMany + "]}"))
            .isEqualTo("QUANTITY_OUT_OF_RANGE: batch of 501 readings, limit 500");
        String justEnough = ("{" + GTIN + ", \"count\": 1}, ").repeat(499) + "{" + GTIN + ", \"count\": 2}";
        assertThat(shelf("{" + HEAD + "\"readings\": [" + justEnough + "]}").readings()).hasSize(500);
    }

    @Test
    void countsAndQuantitiesAreJsonIntegersOnly() {
        for (String bad : new String[] {"1.0", "1e2", "\"5\"", "true", "[1]", "{}", "99999999999999999999"}) {
            assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": " + bad + "}")).as(bad)
                .isEqualTo("FIELD_INVALID: count must be an integer");
        }
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": -0}").readings().get(0).count()).isZero();
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": null}")).isEqualTo("FIELD_MISSING: count is required");
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": -9223372036854775808}"))
            .isEqualTo("QUANTITY_OUT_OF_RANGE: count must be from 0 to 100000, got -9223372036854775808");
        String feed = "{" + HEAD + GTIN + ", \"type\": \"ADJUST\", \"qty\": ";
        assertThat(((FeedEvent) decode(FEED, feed + "-100000}")).qty()).isEqualTo(-100_000);
        assertThat(refusal(FEED, feed + "-100001}"))
            .isEqualTo("QUANTITY_OUT_OF_RANGE: qty must be from -100000 to 100000, got -100001");
        assertThat(refusal(FEED, feed + "0.0}")).isEqualTo("FIELD_INVALID: qty must be an integer");
    }

    @Test
    void capacityIsOptionalAndAtLeastOne() {
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"capacity\": null}").readings().get(0).capacity())
            .isEqualTo(-1);
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"capacity\": 0}"))
            .isEqualTo("QUANTITY_OUT_OF_RANGE: capacity must be from 1 to 100000, got 0");
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"capacity\": \"12\"}"))
            .isEqualTo("FIELD_INVALID: capacity must be an integer");
    }

    @Test
    void aLocationIsAtMost64CharactersWithoutABar() {
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"location\": \"" + "x".repeat(64) + "\"}").readings()
            .get(0).location()).hasSize(64);
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"location\": null}").readings().get(0).location())
            .isEmpty();
        String rule = "FIELD_INVALID: location must be at most 64 characters and not contain '|'";
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"location\": \"" + "x".repeat(65) + "\"}"))
            .isEqualTo(rule);
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"location\": \"a|b\"}")).isEqualTo(rule);
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"location\": 4}"))
            .isEqualTo("FIELD_INVALID: location must be a string");
    }

    @Test
    void seqIsAnIntegerFrom1ToMaxSeq() {
        String body = GTIN + ", \"count\": 1, \"eventId\": \"e\", \"ts\": \"2026-11-22T10:15:30Z\", \"seq\": ";
        assertThat(shelf("{" + body + EventCodec.MAX_SEQ + "}").seq()).isEqualTo(EventCodec.MAX_SEQ);
        String rule = "FIELD_INVALID: seq must be an integer from 1 to " + EventCodec.MAX_SEQ;
        for (String bad : new String[] {"10000000000000", "1.0", "\"1\"", "-1", "99999999999999999999999"}) {
            assertThat(refusal(SHELF, "{" + body + bad + "}")).as(bad).isEqualTo(rule);
        }
    }

    @Test
    void theStoreAndDeviceAliases() {
        String body = HEAD + GTIN + ", \"count\": 1";
        assertThat(shelf("{\"storeId\": \"0421\", \"store\": \"9999\", " + body + "}").seq()).isEqualTo(1);
        assertThat(shelf("{\"storeId\": null, \"store\": \"0421\", " + body + "}").seq()).isEqualTo(1);
        assertThat(refusal(SHELF, "{\"storeId\": null, \"store\": \"9999\", " + body + "}"))
            .isEqualTo("TOPIC_MISMATCH: payload store '9999' disagrees with topic store '0421'");
        assertThat(refusal(SHELF, "{\"storeId\": \"0421\", \"store\": 5, " + body + "}"))
            .isEqualTo("FIELD_INVALID: store must be a string");
        assertThat(refusal(SHELF, "{\"storeId\": [], " + body + "}")).isEqualTo("FIELD_INVALID: storeId must be a string");
        assertThat(refusal(SHELF, "{\"device\": \"mat-08\", " + body + "}"))
            .isEqualTo("TOPIC_MISMATCH: payload device 'mat-08' disagrees with topic device 'mat-07'");
        assertThat(shelf("{\"deviceId\": \"mat-07\", \"device\": \"x\", \"source\": \"other\", " + body + "}").seq())
            .isEqualTo(1);
        String feed = HEAD + GTIN + ", \"type\": \"SALE\", \"qty\": 1";
        assertThat(decode(FEED, "{\"source\": \"till-3\", \"deviceId\": \"other\", " + feed + "}")).isNotNull();
        assertThat(refusal(FEED, "{\"source\": \"till-4\", " + feed + "}"))
            .isEqualTo("TOPIC_MISMATCH: payload device 'till-4' disagrees with topic device 'till-3'");
        assertThat(refusal(FEED, "{\"source\": 1, " + feed + "}")).isEqualTo("FIELD_INVALID: source must be a string");
    }

    @Test
    void theTimestampIsAnIsoString() {
        String body = "\"eventId\": \"e\", \"seq\": 1, " + GTIN + ", \"count\": 1, \"ts\": ";
        assertThat(refusal(SHELF, "{" + body + "1763800000000}")).isEqualTo("FIELD_INVALID: ts must be a string");
        assertThat(refusal(SHELF, "{" + body + "null}")).isEqualTo("FIELD_MISSING: ts is required");
        assertThat(refusal(SHELF, "{" + body + "\"1969-12-31T23:59:59Z\"}"))
            .isEqualTo("TIMESTAMP_INVALID: ts is before 1970");
        assertThat(refusal(SHELF, "{" + body + "\"2026-11-22\"}"))
            .isEqualTo("TIMESTAMP_INVALID: ts must be an ISO-8601 instant such as 2026-11-22T10:15:30.123Z");
        assertThat(refusal(SHELF, "{" + body + "\"2026-11-22T10:21:01Z\"}"))
            .isEqualTo("TIMESTAMP_FUTURE: ts is more than 300 s in the future");
    }

    @Test
    void eventIdsAndSessions() {
        String body = "\"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", " + GTIN + ", \"count\": 1, ";
        assertThat(shelf("{" + body + "\"eventId\": \"" + "i".repeat(128) + "\"}").eventId()).hasSize(128);
        assertThat(refusal(SHELF, "{" + body + "\"eventId\": \"" + "i".repeat(129) + "\"}"))
            .isEqualTo("FIELD_INVALID: eventId must be 1 to 128 characters");
        assertThat(refusal(SHELF, "{" + body + "\"eventId\": 12}")).isEqualTo("FIELD_INVALID: eventId must be a string");
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1, \"session\": null}").session()).isEmpty();
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"session\": 7}"))
            .isEqualTo("FIELD_INVALID: session must be a string");
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1, \"session\": \"\"}"))
            .isEqualTo("FIELD_INVALID: session must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'");
    }

    @Test
    void statusRules() {
        String ts = "\"ts\": \"2026-11-22T10:15:00Z\"";
        assertThat(((StatusEvent) decode(STATUS, "{\"state\": \"online\", \"heartbeatSeconds\": null, " + ts + "}"))
            .heartbeatSeconds()).isZero();
        assertThat(((StatusEvent) decode(STATUS, "{\"state\": \"online\", \"heartbeatSeconds\": 86400, " + ts + "}"))
            .heartbeatSeconds()).isEqualTo(86_400);
        for (String bad : new String[] {"0", "86401", "60.0", "\"60\"", "2147483708", "-1"}) {
            assertThat(refusal(STATUS, "{\"state\": \"online\", \"heartbeatSeconds\": " + bad + ", " + ts + "}"))
                .as(bad).isEqualTo("FIELD_INVALID: heartbeatSeconds must be an integer from 1 to 86400");
        }
        assertThat(refusal(STATUS, "{\"state\": \"ONLINE\", " + ts + "}"))
            .isEqualTo("FIELD_INVALID: state must be 'online' or 'offline'");
        assertThat(refusal(STATUS, "{\"state\": true, " + ts + "}")).isEqualTo("FIELD_INVALID: state must be a string");
        // a status needs no eventId or seq, and a shelf's fields mean nothing to it
        assertThat(decode(STATUS, "{\"state\": \"online\", \"seq\": \"x\", \"readings\": 1, \"gtin\": 2, " + ts + "}"))
            .isInstanceOf(StatusEvent.class);
    }

    @Test
    void feedTypesAreUpperCaseNames() {
        assertThat(refusal(FEED, "{" + HEAD + GTIN + ", \"type\": \"sale\", \"qty\": 1}"))
            .isEqualTo("TYPE_UNKNOWN: unknown event type 'sale'; expected SALE, RETURN, RECEIPT, COUNT or ADJUST");
        assertThat(refusal(FEED, "{" + HEAD + GTIN + ", \"type\": 1, \"qty\": 1}"))
            .isEqualTo("FIELD_INVALID: type must be a string");
    }

    @Test
    void whenSeveralChecksFailTheFirstInTheOldOrderSpeaks() {
        // topic agreement, then ts, then (shelf) eventId, seq, readings, session
        assertThat(refusal(SHELF, "{\"storeId\": \"9\", \"seq\": 0, \"gtin\": 1}")).startsWith("TOPIC_MISMATCH");
        assertThat(refusal(SHELF, "{\"seq\": 0, \"gtin\": 1}")).isEqualTo("FIELD_MISSING: ts is required");
        assertThat(refusal(SHELF, "{\"ts\": \"2026-11-22T10:15:30Z\", \"seq\": 0, \"gtin\": 1}"))
            .isEqualTo("FIELD_MISSING: eventId is required");
        assertThat(refusal(SHELF, "{\"eventId\": \"e\", \"ts\": \"2026-11-22T10:15:30Z\", \"seq\": 0, \"gtin\": 1}"))
            .startsWith("FIELD_INVALID: seq");
        assertThat(refusal(SHELF, "{" + HEAD + "\"gtin\": 1, \"session\": 5}")).isEqualTo("FIELD_INVALID: gtin must be a string");
        assertThat(refusal(SHELF, "{" + HEAD + GTIN + ", \"count\": 1.5, \"capacity\": 0, \"location\": 1}"))
            .isEqualTo("FIELD_INVALID: count must be an integer");
        // feed: type, gtin, qty, then eventId, seq, session
        assertThat(refusal(FEED, "{\"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"1\", \"type\": \"SALE\"}"))
            .startsWith("GTIN_INVALID");
        assertThat(refusal(FEED, "{\"ts\": \"2026-11-22T10:15:30Z\", " + GTIN + ", \"type\": \"SALE\", \"qty\": 1}"))
            .isEqualTo("FIELD_MISSING: eventId is required");
        // status: state, heartbeat, session
        assertThat(refusal(STATUS, "{\"ts\": \"2026-11-22T10:15:00Z\", \"heartbeatSeconds\": 0, \"session\": 1}"))
            .isEqualTo("FIELD_MISSING: state is required");
    }

    @Test
    void malformedJsonAnywhereComesBeforeAnyFieldCheck() {
        assertThat(refusal(SHELF, "{\"gtin\": 1, \"count\": -1, \"x\": [1, }")).startsWith("JSON_MALFORMED: payload is not valid JSON: ");
        assertThat(refusal(SHELF, "{" + HEAD + "\"readings\": [{\"gtin\": \"1\"}, {\"count\": }]}"))
            .startsWith("JSON_MALFORMED: payload is not valid JSON: ");
        assertThat(refusal(SHELF, "[1, 2")).startsWith("JSON_MALFORMED: payload is not valid JSON: ");
        for (String notAnObject : new String[] {"", "  ", "null", "7", "\"s\"", "[{}]"}) {
            assertThat(refusal(SHELF, notAnObject)).as(notAnObject)
                .isEqualTo("JSON_MALFORMED: payload must be a JSON object");
        }
    }

    @Test
    void whatFollowsTheRootObjectIsNotRead() {
        assertThat(shelf("{" + HEAD + GTIN + ", \"count\": 1} trailing ] garbage {").seq()).isEqualTo(1);
    }

    @Test
    void escapedNamesAndValuesReadAsTheirText() {
        ShelfEvent e = shelf("{" + HEAD + "\"g\\u0074in\": \"4006381333931\", \"count\": 1, \"location\": \"A\\u00e9\\n\"}");
        assertThat(e.readings().get(0).location()).isEqualTo("A\u00e9\n");
    }
}
