package dev.onshelf.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.Topic;
import dev.onshelf.core.model.TopicKind;
import dev.onshelf.core.model.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document ({@code /asyncapi.yaml}) is the device contract the code keeps: every example of
 * a message devices publish is decoded by the real {@link EventCodec} on a topic of its channel and gives
 * the event it shows; every alert example is what OnShelf's encoder publishes; every example is valid
 * against its own payload schema; every event type, status and alert type has an example.
 */
class AsyncApiContractTest {
    /** The examples' clock: they are all from 2026-11-22. */
    private static final long NOW = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final EventCodec codec = new EventCodec();
    private final JsonObject doc = ApiContract.yamlToJson(AsyncApiDocument.text());

    /** One example of a channel's message: its topic (the address with the parameters' examples). */
    private record Example(String channel, String topic, String message, String name, JsonObject payload,
                           JsonObject schema) {
    }

    private List<Example> examples() {
        List<Example> out = new ArrayList<>();
        JsonObject channels = doc.getJsonObject("channels");
        for (String channel : channels.fieldNames()) {
            JsonObject c = channels.getJsonObject(channel);
            String topic = c.getString("address");
            JsonObject params = c.getJsonObject("parameters", new JsonObject());
            for (String p : params.fieldNames()) {
                JsonObject param = resolve(params.getJsonObject(p));
                topic = topic.replace("{" + p + "}", param.getJsonArray("examples").getString(0));
            }
            JsonObject messages = c.getJsonObject("messages");
            for (String m : messages.fieldNames()) {
                JsonObject message = resolve(messages.getJsonObject(m));
                JsonObject schema = (JsonObject) inline(message.getJsonObject("payload"));
                for (Object e : message.getJsonArray("examples")) {
                    JsonObject example = (JsonObject) e;
                    out.add(new Example(channel, topic, m, example.getString("name"), example.getJsonObject("payload"),
                        schema));
                }
            }
        }
        return out;
    }

    /** A local {@code $ref} ("#/a/b") followed. */
    private JsonObject resolve(JsonObject node) {
        String ref = node.getString("$ref");
        if (ref == null) {
            return node;
        }
        Object at = doc;
        for (String part : ref.substring(2).split("/")) {
            at = ((JsonObject) at).getValue(part);
        }
        return resolve((JsonObject) at);
    }

    /** The schema with every {@code $ref} replaced by what it names (the payload schemas have no cycles). */
    private Object inline(Object node) {
        if (node instanceof JsonObject o) {
            if (o.containsKey("$ref")) {
                return inline(resolve(o));
            }
            JsonObject copy = new JsonObject();
            o.forEach(e -> copy.put(e.getKey(), inline(e.getValue())));
            return copy;
        }
        if (node instanceof JsonArray a) {
            JsonArray copy = new JsonArray();
            a.forEach(v -> copy.add(inline(v)));
            return copy;
        }
        return node;
    }

    private Event decode(Example e) {
        return codec.decode(e.topic(), e.payload().encode().getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void everyChannelIsATopicOfTheContract() {
        Set<String> families = new HashSet<>();
        for (Example e : examples()) {
            if (e.channel().equals("alerts")) {
                assertThat(e.topic()).isEqualTo(Topic.alerts(new StoreId("0421")));
            } else if (e.channel().equals("errors")) {
                String[] parts = e.topic().split("/");
                assertThat(e.topic()).isEqualTo(Topic.errors(new StoreId(parts[3]), DeviceId.parse(parts[5])));
            } else {
                Topic t = Topic.parse(e.topic());
                assertThat(t.render()).isEqualTo(e.topic());
                families.add(t.kind().segment());
            }
        }
        Set<String> all = new HashSet<>();
        for (TopicKind k : TopicKind.values()) {
            all.add(k.segment());
        }
        assertThat(families).isEqualTo(all);
        assertThat(doc.getString("asyncapi")).startsWith("3.");
    }

    @Test
    void everyDeviceExampleDecodesToTheEventItShows() {
        int decoded = 0;
        for (Example e : examples()) {
            if (e.channel().equals("alerts") || e.channel().equals("errors")) {  // OnShelf publishes them
                continue;
            }
            Event event = decode(e);  // throws ValidationException, with its reason, for an example OnShelf refuses
            JsonObject p = e.payload();
            assertThat(event.ts()).as(e.name()).isEqualTo(Instant.parse(p.getString("ts")).toEpochMilli());
            assertThat(event.session()).as(e.name()).isEqualTo(p.getString("session", ""));
            if (event instanceof ShelfEvent s) {
                assertThat(e.channel()).isEqualTo("shelf");
                assertThat(s.eventId()).isEqualTo(p.getString("eventId"));
                assertThat(s.seq()).isEqualTo(p.getLong("seq"));
                JsonArray readings = p.getJsonArray("readings", new JsonArray().add(p));
                assertThat(s.readings()).as(e.name()).hasSize(readings.size());
                for (int i = 0; i < readings.size(); i++) {
                    JsonObject r = readings.getJsonObject(i);
                    Reading got = s.readings().get(i);
                    assertThat(got.gtin()).isEqualTo(Gtin.parse(r.getString("gtin")));
                    assertThat(got.count()).isEqualTo(r.getInteger("count"));
                    assertThat(got.capacity()).isEqualTo(r.getInteger("capacity", -1));
                    assertThat(got.location()).isEqualTo(r.getString("location", ""));
                }
            } else if (event instanceof FeedEvent f) {
                assertThat(e.channel()).isEqualTo("feed");
                assertThat(f.eventId()).isEqualTo(p.getString("eventId"));
                assertThat(f.type().name()).isEqualTo(p.getString("type"));
                assertThat(f.gtin()).isEqualTo(Gtin.parse(p.getString("gtin")));
                assertThat(f.qty()).isEqualTo(p.getLong("qty"));
            } else if (event instanceof StatusEvent s) {
                assertThat(e.channel()).isEqualTo("status");
                assertThat(s.online()).isEqualTo(p.getString("state").equals("online"));
                assertThat(s.heartbeatSeconds()).isEqualTo(p.getInteger("heartbeatSeconds", 0));
            } else {
                throw new AssertionError("not an MQTT event: " + event);
            }
            decoded++;
        }
        assertThat(decoded).isGreaterThanOrEqualTo(10);
    }

    @Test
    void everyRefusalExampleIsWhatOnShelfPublishesWithAReasonOnShelfGives() throws Exception {
        int seen = 0;
        for (Example e : examples()) {
            if (!e.channel().equals("errors")) {
                continue;
            }
            JsonObject p = e.payload();
            RejectReason reason = RejectReason.fromCode(p.getString("reason"));
            byte[] published = codec.encodeRefusal(p.getString("eventId"), reason.code(), p.getString("detail"),
                Instant.parse(p.getString("ts")).toEpochMilli());
            assertThat(MAPPER.readTree(published)).as(e.name()).isEqualTo(MAPPER.readTree(p.encode()));
            seen++;
        }
        assertThat(seen).isGreaterThanOrEqualTo(3);
        // the schema's reasons are the codes OnShelf gives, less those of HTTP writes and of topics no device has
        JsonArray listed = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("refusal")
            .getJsonObject("properties").getJsonObject("reason").getJsonArray("enum");
        Set<String> codes = new HashSet<>();
        for (RejectReason r : RejectReason.values()) {
            codes.add(r.code());
        }
        codes.removeAll(Set.of("idempotency.mismatch", "topic.unknown"));
        assertThat(new HashSet<>(listed.getList())).isEqualTo(codes);
    }

    @Test
    void everyAlertExampleIsWhatOnShelfPublishes() throws Exception {
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        for (Example e : examples()) {
            if (!e.channel().equals("alerts")) {
                continue;
            }
            JsonObject p = e.payload();
            AlertType type = AlertType.fromCode(p.getString("type"));
            types.add(type);
            byte[] published = codec.encodeAlert(p.getString("storeId"), p.getString("gtin"), type.code(),
                Instant.parse(p.getString("ts")).toEpochMilli());
            assertThat(MAPPER.readTree(published)).as(e.name()).isEqualTo(MAPPER.readTree(p.encode()));
        }
        assertThat(types).isEqualTo(EnumSet.allOf(AlertType.class));
    }

    @Test
    void everyEventTypeAndStateHasAnExample() {
        Set<EventType> feed = EnumSet.noneOf(EventType.class);
        Set<String> status = new HashSet<>();
        boolean batch = false;
        for (Example e : examples()) {
            if (e.channel().equals("alerts") || e.channel().equals("errors")) {  // OnShelf publishes them
                continue;
            }
            Event event = decode(e);
            if (event instanceof FeedEvent f) {
                feed.add(f.type());
            } else if (event instanceof StatusEvent s) {
                status.add((s.online() ? "online" : "offline") + (s.session().isEmpty() ? "" : "+session"));
            } else if (event instanceof ShelfEvent s) {
                batch |= s.readings().size() > 1;
            }
        }
        assertThat(feed).isEqualTo(EnumSet.allOf(EventType.class));
        assertThat(status).contains("online+session", "offline+session", "online");
        assertThat(batch).as("a batch of readings").isTrue();
    }

    @Test
    void everyExampleIsValidAgainstItsPayloadSchema() {
        for (Example e : examples()) {
            OutputUnit result = validator(e.schema()).validate(e.payload());
            assertThat(result.getValid()).as(e.name() + ": " + result.getErrors()).isTrue();
        }
    }

    @Test
    void theSchemaAndTheDecoderRefuseTheSameMistakes() {
        Map<String, Example> byName = new java.util.HashMap<>();
        examples().forEach(e -> byName.put(e.name(), e));
        List<Example> wrong = List.of(
            with(byName.get("adjust"), "qty", 0),
            with(byName.get("sale"), "qty", 0),
            with(byName.get("count"), "qty", -1),
            with(byName.get("oneReading"), "count", -1),
            with(byName.get("oneReading"), "gtin", "40063813339"),
            with(byName.get("online"), "state", "sleeping"),
            with(byName.get("online"), "heartbeatSeconds", 0),
            with(byName.get("sale"), "type", "THEFT"),
            with(byName.get("sale"), "seq", 0));
        for (Example e : wrong) {
            assertThat(validator(e.schema()).validate(e.payload()).getValid()).as("schema: " + e.payload()).isFalse();
            assertThatThrownBy(() -> decode(e)).as("decoder: " + e.payload()).isInstanceOf(ValidationException.class);
        }
    }

    private static Example with(Example e, String field, Object value) {
        return new Example(e.channel(), e.topic(), e.message(), e.name(), e.payload().copy().put(field, value), e.schema());
    }

    private static Validator validator(JsonObject schema) {
        return Validator.create(JsonSchema.of(schema),
            new JsonSchemaOptions().setDraft(Draft.DRAFT7).setBaseUri("https://onshelf.dev/asyncapi"));
    }

    @Test
    void theDocumentParsesAsJsonToo() {
        JsonNode tree = MAPPER.valueToTree(doc.getMap());
        assertThat(tree.path("operations").size()).isEqualTo(5);
    }
}
