package dev.onshelf.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {
    private static final String SHELF = "onshelf/v1/stores/0421/shelf/mat-07";
    private static final String FEED = "onshelf/v1/stores/0421/feed/till-3";
    private static final long NOW = Instant.parse("2026-11-22T10:16:00Z").toEpochMilli();
    private final EventCodec codec = new EventCodec();

    private Event decode(String topic, String json) {
        return codec.decode(topic, json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private RejectReason reasonOf(String topic, String json) {
        try {
            decode(topic, json);
        } catch (ValidationException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void decodesTheSpecsShelfReading() {
        Event e = decode(SHELF, """
            {"eventId": "3f1c", "seq": 1042, "ts": "2026-11-22T10:15:30.123Z",
             "gtin": "4006381333931", "count": 4, "capacity": 12, "location": "A12-3", "extra": {"ignored": true}}""");
        assertThat(e).isInstanceOfSatisfying(ShelfEvent.class, s -> {
            assertThat(s.store().value()).isEqualTo("0421");
            assertThat(s.source().value()).isEqualTo("mat-07");
            assertThat(s.eventId()).isEqualTo("3f1c");
            assertThat(s.seq()).isEqualTo(1042);
            assertThat(s.ts()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z").toEpochMilli());
            assertThat(s.readings()).containsExactly(
                new Reading(Gtin.parse("04006381333931"), 4, 12, "A12-3"));
        });
    }

    @Test
    void decodesABatchOfReadings() {
        ShelfEvent e = (ShelfEvent) decode(SHELF, """
            {"eventId": "b1", "seq": 7, "ts": "2026-11-22T10:15:30Z",
             "readings": [{"gtin": "4006381333931", "count": 0}, {"gtin": "96385074", "count": 3, "location": "B1"}]}""");
        assertThat(e.readings()).extracting(Reading::count).containsExactly(0, 3);
        assertThat(e.readings().get(0).capacity()).isEqualTo(-1);
        assertThat(e.readings().get(1).gtin().value()).isEqualTo("00000096385074");
    }

    @Test
    void decodesFeedEventsWithTheirEffectOnTheBook() {
        FeedEvent sale = (FeedEvent) decode(FEED, """
            {"eventId": "9a0b", "seq": 77, "ts": "2026-11-22T10:15:31.002Z", "type": "SALE", "gtin": "4006381333931", "qty": 2}""");
        assertThat(sale.type()).isEqualTo(EventType.SALE);
        assertThat(sale.bookEffect()).isEqualTo(-2);
        FeedEvent adjust = (FeedEvent) decode(FEED, """
            {"eventId": "a", "seq": 78, "ts": "2026-11-22T10:15:31Z", "type": "ADJUST", "gtin": "4006381333931", "qty": -3}""");
        assertThat(adjust.bookEffect()).isEqualTo(-3);
        FeedEvent count = (FeedEvent) decode(FEED, """
            {"eventId": "c", "seq": 79, "ts": "2026-11-22T10:15:31Z", "type": "COUNT", "gtin": "4006381333931", "qty": 0}""");
        assertThat(count.bookEffect()).isZero();
    }

    @Test
    void decodesStatus() {
        StatusEvent s = (StatusEvent) decode("onshelf/v1/stores/0421/status/mat-07",
            "{\"state\": \"offline\", \"heartbeatSeconds\": 60, \"ts\": \"2026-11-22T10:15:00Z\"}");
        assertThat(s.online()).isFalse();
        assertThat(s.heartbeatSeconds()).isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json            | {\"eventId\": ",
        "not an object       | [1,2]",
        "missing gtin        | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"count\": 1}",
        "gtin not a string   | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": 4006381333931, \"count\": 1}",
        "bad check digit     | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333932\", \"count\": 1}",
        "negative count      | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": -1}",
        "absurd count        | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 100001}",
        "fractional count    | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1.5}",
        "missing seq         | {\"eventId\": \"e\", \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "zero seq            | {\"eventId\": \"e\", \"seq\": 0, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "bad timestamp       | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"yesterday\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "future timestamp    | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T11:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "store mismatch      | {\"storeId\": \"9999\", \"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "device mismatch     | {\"deviceId\": \"mat-99\", \"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", \"count\": 1}",
        "empty batch         | {\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"readings\": []}",
    })
    void rejectsBadShelfPayloadsWithASpecificReason(String what, String json) {
        RejectReason expected = switch (what.trim()) {
            case "not json", "not an object" -> RejectReason.JSON_MALFORMED;
            case "missing gtin", "missing seq" -> RejectReason.FIELD_MISSING;
            case "gtin not a string", "fractional count", "zero seq", "empty batch" -> RejectReason.FIELD_INVALID;
            case "bad check digit" -> RejectReason.GTIN_INVALID;
            case "negative count", "absurd count" -> RejectReason.QUANTITY_OUT_OF_RANGE;
            case "bad timestamp" -> RejectReason.TIMESTAMP_INVALID;
            case "future timestamp" -> RejectReason.TIMESTAMP_FUTURE;
            case "store mismatch", "device mismatch" -> RejectReason.TOPIC_MISMATCH;
            default -> throw new IllegalArgumentException(what);
        };
        assertThat(reasonOf(SHELF, json)).isEqualTo(expected);
    }

    @Test
    void rejectsBadFeedPayloads() {
        String head = "{\"eventId\": \"e\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:30Z\", \"gtin\": \"4006381333931\", ";
        assertThat(reasonOf(FEED, head + "\"type\": \"STEAL\", \"qty\": 1}")).isEqualTo(RejectReason.TYPE_UNKNOWN);
        assertThat(reasonOf(FEED, head + "\"type\": \"SALE\", \"qty\": 0}")).isEqualTo(RejectReason.QUANTITY_OUT_OF_RANGE);
        assertThat(reasonOf(FEED, head + "\"type\": \"SALE\", \"qty\": -2}")).isEqualTo(RejectReason.QUANTITY_OUT_OF_RANGE);
        assertThat(reasonOf(FEED, head + "\"type\": \"ADJUST\", \"qty\": 0}")).isEqualTo(RejectReason.QUANTITY_OUT_OF_RANGE);
        assertThat(reasonOf(FEED, head + "\"type\": \"COUNT\", \"qty\": 1000000}")).isEqualTo(RejectReason.QUANTITY_OUT_OF_RANGE);
        assertThat(reasonOf(FEED, head + "\"type\": \"SALE\"}")).isEqualTo(RejectReason.FIELD_MISSING);
    }

    @Test
    void rejectsAnOversizedPayloadBeforeParsingIt() {
        byte[] big = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) '{');  // not JSON either: size is checked first
        assertThatThrownBy(() -> codec.decode(SHELF, big, NOW)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE));
    }

    @Test
    void whatTheSimulatorsEncodeTheGatewayDecodes() {
        List<Reading> readings = List.of(new Reading(Gtin.parse("4006381333931"), 4, 12, "A1"),
            new Reading(Gtin.parse("96385074"), 0, -1, ""));
        ShelfEvent shelf = (ShelfEvent) codec.decode(SHELF, codec.encodeShelf("id-1", 5, NOW - 1000, readings), NOW);
        assertThat(shelf.readings()).isEqualTo(readings);
        assertThat(shelf.seq()).isEqualTo(5);
        assertThat(shelf.ts()).isEqualTo(NOW - 1000);
        FeedEvent feed = (FeedEvent) codec.decode(FEED,
            codec.encodeFeed("id-2", 6, NOW, EventType.RECEIPT, Gtin.parse("4006381333931"), 24), NOW);
        assertThat(feed.bookEffect()).isEqualTo(24);
        StatusEvent status = (StatusEvent) codec.decode("onshelf/v1/stores/0421/status/mat-07",
            codec.encodeStatus(true, 30, NOW), NOW);
        assertThat(status.online()).isTrue();
        assertThat(status.heartbeatSeconds()).isEqualTo(30);
    }

    @Test
    void anOptionalSessionNamesTheSourcesBootAndSurvivesARoundTrip() {
        FeedEvent sale = (FeedEvent) decode(FEED, "{\"eventId\": \"e1\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:31Z\","
            + " \"type\": \"SALE\", \"gtin\": \"4006381333931\", \"qty\": 1, \"session\": \"boot-0042\"}");
        assertThat(sale.session()).isEqualTo("boot-0042");
        assertThat(codec.decode(FEED, codec.encode(sale), NOW)).isEqualTo(sale);
        assertThat(((FeedEvent) decode(FEED, "{\"eventId\": \"e1\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:31Z\","
            + " \"type\": \"SALE\", \"gtin\": \"4006381333931\", \"qty\": 1}")).session()).isEmpty();
        for (String bad : new String[] {"\"\"", "\"a,b\"", "\"a|b\"", "7", "\"" + "x".repeat(65) + "\""}) {
            assertThat(reasonOf(FEED, "{\"eventId\": \"e1\", \"seq\": 1, \"ts\": \"2026-11-22T10:15:31Z\","
                + " \"type\": \"SALE\", \"gtin\": \"4006381333931\", \"qty\": 1, \"session\": " + bad + "}"))
                .as("session %s", bad).isEqualTo(RejectReason.FIELD_INVALID);
        }
        StatusEvent will = (StatusEvent) decode("onshelf/v1/stores/0421/status/mat-07",
            "{\"state\": \"offline\", \"ts\": \"2026-11-22T10:15:00Z\", \"session\": \"b7\"}");
        assertThat(will.session()).isEqualTo("b7");
    }
}
