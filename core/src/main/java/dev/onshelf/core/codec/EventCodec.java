package dev.onshelf.core.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.Topic;
import dev.onshelf.core.model.TopicKind;
import dev.onshelf.core.model.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The v1 MQTT wire format, in both directions: {@link #decode} is what the gateway trusts, the
 * {@code encode*} methods are what simulators and tests publish, so the format has one source.
 * Decoding is pure and throws {@link ValidationException} with a specific reason.
 */
public final class EventCodec {
    /** Sequence numbers stay below 10^13 so they survive Redis Lua's 14-digit number encoding. */
    public static final long MAX_SEQ = 9_999_999_999_999L;
    private final ObjectMapper mapper;
    /**
     * Makes the decoder's parsers as the mapper's tree reader made them (its parser features), for
     * {@link #decode} to accept and refuse what it did when it read trees. The mapper's tree
     * features (FAIL_ON_READING_DUP_TREE_KEY, FAIL_ON_TRAILING_TOKENS, USE_BIG_DECIMAL_FOR_FLOATS)
     * are not consulted: every caller passes a default mapper, for which they are off.
     */
    private final ObjectReader parsers;
    private final Limits limits;

    public EventCodec(ObjectMapper mapper, Limits limits) {
        this.mapper = mapper;
        this.parsers = mapper.readerFor(JsonNode.class);
        this.limits = limits;
    }

    public EventCodec() {
        this(new ObjectMapper(), Limits.DEFAULT);
    }

    public Limits limits() {
        return limits;
    }

    /** Decodes one message; {@code nowMillis} bounds how far in the future a timestamp may be. */
    public Event decode(String topicName, byte[] payload, long nowMillis) {
        Topic topic = Topic.parse(topicName);
        if (payload.length > limits.maxPayloadBytes()) {
            throw new ValidationException(RejectReason.PAYLOAD_TOO_LARGE,
                "payload is " + payload.length + " bytes, limit " + limits.maxPayloadBytes());
        }
        Fields root = read(payload, topic.kind());
        checkTopicAgreement(topic, root);
        long ts = timestamp(root, Fields.TS, nowMillis);
        return switch (topic.kind()) {
            case SHELF -> new ShelfEvent(topic.store(), topic.device(), eventId(root), seq(root), ts, readings(root),
                session(root));
            case FEED -> feed(topic, root, ts);
            case STATUS -> status(topic, root, ts);
        };
    }

    // ---- reading: one pass of a streaming parser, no tree ----

    /**
     * Reads the payload in one pass into the fields the checks read (until 2026-11-29 the payload
     * was read into a Jackson tree first: the hottest OnShelf frame of the ingest profile). All of
     * the root object is read before any check, as the tree was: malformed JSON anywhere in it is
     * {@code json.malformed}, whatever else is wrong. What follows the root object is not read.
     */
    private Fields read(byte[] payload, TopicKind kind) {
        try (JsonParser p = parsers.createParser(payload)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                skip(p, t);  // as the tree did: JSON that is malformed further on says so
                throw new ValidationException(RejectReason.JSON_MALFORMED, "payload must be a JSON object");
            }
            return readRoot(p, kind);
        } catch (JsonProcessingException e) {
            throw new ValidationException(RejectReason.JSON_MALFORMED,
                "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException(RejectReason.JSON_MALFORMED, "payload could not be read");
        }
    }

    /** The root object's fields, its first token read; {@code readings} only means something to a shelf. */
    private Fields readRoot(JsonParser p, TopicKind kind) throws IOException {
        Fields root = new Fields();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (kind == TopicKind.SHELF && name.equals("readings")) {
                root.batch = readBatch(p, value);
            } else {
                root.read(Fields.rootField(name), p, value);
            }
        }
        return root;
    }

    /**
     * A shelf message's {@code readings}. Each reading is built as soon as its object ends; a refusal
     * is kept, not thrown, for {@link #readings} to throw in the tree-based decoder's order (not a
     * non-empty array, then over the batch limit, then the first element that is not an object or
     * not a valid reading), and only once the whole payload proved to be JSON.
     */
    private Batch readBatch(JsonParser p, JsonToken first) throws IOException {
        if (first != JsonToken.START_ARRAY) {
            skip(p, first);
            return Batch.NOT_AN_ARRAY;
        }
        List<Reading> readings = new ArrayList<>();
        Fields fields = new Fields();
        ValidationException refusal = null;
        int size = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            size++;
            if (t != JsonToken.START_OBJECT) {
                skip(p, t);
                if (refusal == null) {
                    refusal = new ValidationException(RejectReason.FIELD_INVALID, "each reading must be an object");
                }
                continue;
            }
            readReading(p, fields);
            if (refusal == null && size <= limits.maxBatch()) {
                try {
                    readings.add(reading(fields));
                } catch (ValidationException e) {
                    refusal = e;
                }
            }
        }
        return new Batch(true, size, readings, refusal);
    }

    /** A reading's fields into {@code into}, its START_OBJECT read. */
    private static void readReading(JsonParser p, Fields into) throws IOException {
        into.clear();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            into.read(Fields.readingField(p.currentName()), p, p.nextToken());
        }
    }

    /**
     * Reads past a value no check needs, an object or array with all it holds. Each scalar is still
     * read as the tree read it ({@link #touch}), so JSON the tree refused (a bad UTF-8 sequence in
     * a string, a number longer than Jackson allows) is refused the same way, with the same message.
     */
    private static void skip(JsonParser p, JsonToken first) throws IOException {
        int depth = 0;
        for (JsonToken t = first; t != null; t = p.nextToken()) {
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else {
                touch(p, t);
            }
            if (depth == 0) {
                return;
            }
        }
    }

    /** What Jackson's tree builder asks of a scalar (JsonNodeDeserializer): a string's text, a number's value. */
    private static void touch(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> fitsLong(p);
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            default -> {
            }
        }
    }

    /**
     * Whether the integer token fits a long (then {@code getLongValue} reads it); one that does not
     * is read in full all the same, as the tree read it into a BigIntegerNode.
     */
    private static boolean fitsLong(JsonParser p) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            p.getBigIntegerValue();
            return false;
        }
        return true;
    }

    // ---- checks: on the fields read, in the order the tree-based decoder made them ----

    /**
     * The payload's store ({@code storeId}, else {@code store}) and device ({@code deviceId}, else
     * {@code device}; feeds: {@code source}, else {@code device}) must be the topic's when given. The
     * fallback alias is checked first: a {@code store} that is not a string is refused even beside
     * a good {@code storeId}.
     */
    private static void checkTopicAgreement(Topic topic, Fields root) {
        String store = optionalText(root, Fields.STORE_ID, optionalText(root, Fields.STORE, null));
        if (store != null && !store.equals(topic.store().value())) {
            throw new ValidationException(RejectReason.TOPIC_MISMATCH,
                "payload store '" + store + "' disagrees with topic store '" + topic.store() + "'");
        }
        int deviceField = topic.kind() == TopicKind.FEED ? Fields.SOURCE : Fields.DEVICE_ID;
        String device = optionalText(root, deviceField, optionalText(root, Fields.DEVICE, null));
        if (device != null && !device.equals(topic.device().value())) {
            throw new ValidationException(RejectReason.TOPIC_MISMATCH,
                "payload device '" + device + "' disagrees with topic device '" + topic.device() + "'");
        }
    }

    /** The batch when there is a {@code readings} (even null), else the single reading at the root. */
    private List<Reading> readings(Fields root) {
        Batch batch = root.batch;
        if (batch == null) {
            return List.of(reading(root));
        }
        if (!batch.array() || batch.size() == 0) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "readings must be a non-empty array");
        }
        if (batch.size() > limits.maxBatch()) {
            throw new ValidationException(RejectReason.QUANTITY_OUT_OF_RANGE,
                "batch of " + batch.size() + " readings, limit " + limits.maxBatch());
        }
        if (batch.refusal() != null) {
            throw batch.refusal();
        }
        return batch.readings();
    }

    private Reading reading(Fields node) {
        Gtin gtin = Gtin.parse(requiredText(node, Fields.GTIN));
        int count = (int) units(node, Fields.COUNT, true, 0);
        int capacity = node.given(Fields.CAPACITY) ? (int) units(node, Fields.CAPACITY, true, 1) : -1;
        String location = optionalText(node, Fields.LOCATION, "");
        if (location.length() > 64 || location.indexOf('|') >= 0) {
            throw new ValidationException(RejectReason.FIELD_INVALID,
                "location must be at most 64 characters and not contain '|'");
        }
        return new Reading(gtin, count, capacity, location);
    }

    private FeedEvent feed(Topic topic, Fields root, long ts) {
        String typeName = requiredText(root, Fields.TYPE);
        EventType type;
        try {
            type = EventType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(RejectReason.TYPE_UNKNOWN,
                "unknown event type '" + typeName + "'; expected SALE, RETURN, RECEIPT, COUNT or ADJUST");
        }
        Gtin gtin = Gtin.parse(requiredText(root, Fields.GTIN));
        long qty = switch (type) {
            case COUNT -> units(root, Fields.QTY, true, 0);
            case ADJUST -> nonZero(units(root, Fields.QTY, false, 0));
            default -> units(root, Fields.QTY, true, 1);
        };
        return new FeedEvent(topic.store(), topic.device(), eventId(root), seq(root), ts, type, gtin, qty,
            session(root));
    }

    private static long nonZero(long qty) {
        if (qty == 0) {
            throw new ValidationException(RejectReason.QUANTITY_OUT_OF_RANGE, "ADJUST qty must not be 0");
        }
        return qty;
    }

    private static StatusEvent status(Topic topic, Fields root, long ts) {
        String state = requiredText(root, Fields.STATE);
        boolean online = switch (state) {
            case "online" -> true;
            case "offline" -> false;
            default -> throw new ValidationException(RejectReason.FIELD_INVALID,
                "state must be 'online' or 'offline'");
        };
        int heartbeat = 0;
        if (root.given(Fields.HEARTBEAT_SECONDS)) {
            long hb = root.numbers[Fields.HEARTBEAT_SECONDS];
            if (root.kinds[Fields.HEARTBEAT_SECONDS] != Fields.INTEGER || hb < 1 || hb > 86_400) {
                throw new ValidationException(RejectReason.FIELD_INVALID,
                    "heartbeatSeconds must be an integer from 1 to 86400");
            }
            heartbeat = (int) hb;
        }
        return new StatusEvent(topic.store(), topic.device(), ts, online, heartbeat, session(root));
    }

    /**
     * The optional boot id: 1 to 64 of {@code A-Z a-z 0-9 _ . : -}; empty when absent. It tells a
     * restarted device from a replay, and a will from a stale one.
     */
    private static String session(Fields root) {
        String session = optionalText(root, Fields.SESSION, "");
        if (!session.isEmpty() || root.given(Fields.SESSION)) {
            if (session.isEmpty() || session.length() > 64 || !session.chars().allMatch(EventCodec::sessionChar)) {
                throw new ValidationException(RejectReason.FIELD_INVALID,
                    "session must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'");
            }
        }
        return session;
    }

    private static boolean sessionChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
            || c == ':' || c == '-';
    }

    private static String eventId(Fields root) {
        String id = requiredText(root, Fields.EVENT_ID);
        if (id.isEmpty() || id.length() > 128) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "eventId must be 1 to 128 characters");
        }
        return id;
    }

    private static long seq(Fields root) {
        if (!root.given(Fields.SEQ)) {
            throw new ValidationException(RejectReason.FIELD_MISSING, "seq is required");
        }
        long seq = root.numbers[Fields.SEQ];
        if (root.kinds[Fields.SEQ] != Fields.INTEGER || seq < 1 || seq > MAX_SEQ) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "seq must be an integer from 1 to " + MAX_SEQ);
        }
        return seq;
    }

    private long timestamp(Fields root, int field, long nowMillis) {
        String text = requiredText(root, field);
        long ts;
        try {
            ts = IsoInstant.parseMillis(text);
        } catch (RuntimeException e) {
            throw new ValidationException(RejectReason.TIMESTAMP_INVALID,
                Fields.NAMES[field] + " must be an ISO-8601 instant such as 2026-11-22T10:15:30.123Z");
        }
        if (ts < 0) {
            throw new ValidationException(RejectReason.TIMESTAMP_INVALID, Fields.NAMES[field] + " is before 1970");
        }
        if (ts > nowMillis + limits.maxFutureSkew().toMillis()) {
            throw new ValidationException(RejectReason.TIMESTAMP_FUTURE,
                Fields.NAMES[field] + " is more than " + limits.maxFutureSkew().toSeconds() + " s in the future");
        }
        return ts;
    }

    /**
     * A count or quantity: a JSON integer (not {@code 1.0}, not {@code "1"}, not beyond a long)
     * within the limits; non-negative ones from {@code min}, signed ones within ±maxUnits.
     */
    private long units(Fields node, int field, boolean nonNegative, long min) {
        String name = Fields.NAMES[field];
        if (!node.given(field)) {
            throw new ValidationException(RejectReason.FIELD_MISSING, name + " is required");
        }
        if (node.kinds[field] != Fields.INTEGER) {
            throw new ValidationException(RejectReason.FIELD_INVALID, name + " must be an integer");
        }
        long v = node.numbers[field];
        long floor = nonNegative ? min : -limits.maxUnits();
        if (v < floor || v > limits.maxUnits()) {
            throw new ValidationException(RejectReason.QUANTITY_OUT_OF_RANGE,
                name + " must be from " + floor + " to " + limits.maxUnits() + ", got " + v);
        }
        return v;
    }

    private static String requiredText(Fields node, int field) {
        if (!node.given(field)) {
            throw new ValidationException(RejectReason.FIELD_MISSING, Fields.NAMES[field] + " is required");
        }
        return optionalText(node, field, null);
    }

    /** The field's text; {@code fallback} when absent or null; refused when any other JSON type. */
    private static String optionalText(Fields node, int field, String fallback) {
        if (!node.given(field)) {
            return fallback;
        }
        if (node.kinds[field] != Fields.TEXT) {
            throw new ValidationException(RejectReason.FIELD_INVALID, Fields.NAMES[field] + " must be a string");
        }
        return node.texts[field];
    }

    /**
     * The values of one JSON object (the root, or a reading of a batch) that the checks read, by
     * field, typed as the tree-based decoder saw them. A repeated key overwrites: the last one wins,
     * as in a Jackson tree. Names the object's kind does not know are skipped.
     */
    private static final class Fields {
        static final byte ABSENT = 0;
        static final byte NULL = 1;
        static final byte TEXT = 2;
        /** A JSON integer that fits a long (a tree's IntNode or LongNode). */
        static final byte INTEGER = 3;
        /** Anything else: a boolean, a fraction or exponent, an integer beyond a long, an object, an array. */
        static final byte OTHER = 4;

        static final int STORE_ID = 0;
        static final int STORE = 1;
        static final int DEVICE_ID = 2;
        static final int SOURCE = 3;
        static final int DEVICE = 4;
        static final int TS = 5;
        static final int EVENT_ID = 6;
        static final int SEQ = 7;
        static final int GTIN = 8;
        static final int COUNT = 9;
        static final int CAPACITY = 10;
        static final int LOCATION = 11;
        static final int TYPE = 12;
        static final int QTY = 13;
        static final int STATE = 14;
        static final int HEARTBEAT_SECONDS = 15;
        static final int SESSION = 16;
        static final String[] NAMES = {"storeId", "store", "deviceId", "source", "device", "ts", "eventId", "seq",
            "gtin", "count", "capacity", "location", "type", "qty", "state", "heartbeatSeconds", "session"};

        final byte[] kinds = new byte[NAMES.length];
        final String[] texts = new String[NAMES.length];
        final long[] numbers = new long[NAMES.length];
        /** The root's {@code readings} when a shelf message has one, else null. */
        Batch batch;

        /** A root field's index, or -1 for a name no check reads (whose value is skipped). */
        static int rootField(String name) {
            return switch (name) {
                case "storeId" -> STORE_ID;
                case "store" -> STORE;
                case "deviceId" -> DEVICE_ID;
                case "source" -> SOURCE;
                case "device" -> DEVICE;
                case "ts" -> TS;
                case "eventId" -> EVENT_ID;
                case "seq" -> SEQ;
                case "type" -> TYPE;
                case "qty" -> QTY;
                case "state" -> STATE;
                case "heartbeatSeconds" -> HEARTBEAT_SECONDS;
                case "session" -> SESSION;
                default -> readingField(name);
            };
        }

        /** A reading's field index (a single reading's fields are at the root), or -1. */
        static int readingField(String name) {
            return switch (name) {
                case "gtin" -> GTIN;
                case "count" -> COUNT;
                case "capacity" -> CAPACITY;
                case "location" -> LOCATION;
                default -> -1;
            };
        }

        /** Present and not null: what the tree-based decoder's {@code has(f) && !get(f).isNull()} said. */
        boolean given(int field) {
            return kinds[field] > NULL;
        }

        void clear() {
            Arrays.fill(kinds, ABSENT);
        }

        /** Reads the value whose first token is {@code t} into {@code field} (skips it when -1). */
        void read(int field, JsonParser p, JsonToken t) throws IOException {
            if (field < 0) {
                skip(p, t);
                return;
            }
            switch (t) {
                case VALUE_STRING -> {
                    kinds[field] = TEXT;
                    texts[field] = p.getText();
                }
                case VALUE_NUMBER_INT -> {
                    boolean fits = fitsLong(p);
                    kinds[field] = fits ? INTEGER : OTHER;
                    numbers[field] = fits ? p.getLongValue() : 0;
                }
                case VALUE_NULL -> kinds[field] = NULL;
                default -> {
                    skip(p, t);
                    kinds[field] = OTHER;
                }
            }
        }
    }

    /** A shelf message's {@code readings}: see {@link #readBatch}. */
    private record Batch(boolean array, int size, List<Reading> readings, ValidationException refusal) {
        static final Batch NOT_AN_ARRAY = new Batch(false, 0, List.of(), null);
    }

    // ---- encoding: what simulators and tests publish ----

    /** Any event of the MQTT contract back to its payload, session included. */
    public byte[] encode(Event event) {
        ObjectNode root;
        if (event instanceof ShelfEvent e) {
            root = shelfNode(e.eventId(), e.seq(), e.ts(), e.readings());
        } else if (event instanceof FeedEvent e) {
            root = feedNode(e.eventId(), e.seq(), e.ts(), e.type(), e.gtin(), e.qty());
        } else if (event instanceof StatusEvent e) {
            root = statusNode(e.online(), e.heartbeatSeconds(), e.ts());
        } else {
            throw new IllegalArgumentException("not part of the MQTT contract: " + event.getClass().getSimpleName());
        }
        if (!event.session().isEmpty()) {
            root.put("session", event.session());
        }
        return bytes(root);
    }

    public byte[] encodeShelf(String eventId, long seq, long ts, List<Reading> readings) {
        return bytes(shelfNode(eventId, seq, ts, readings));
    }

    private ObjectNode shelfNode(String eventId, long seq, long ts, List<Reading> readings) {
        ObjectNode root = header(eventId, seq, ts);
        if (readings.size() == 1) {
            writeReading(root, readings.get(0));
        } else {
            ArrayNode arr = root.putArray("readings");
            readings.forEach(r -> writeReading(arr.addObject(), r));
        }
        return root;
    }

    public byte[] encodeFeed(String eventId, long seq, long ts, EventType type, Gtin gtin, long qty) {
        return bytes(feedNode(eventId, seq, ts, type, gtin, qty));
    }

    private ObjectNode feedNode(String eventId, long seq, long ts, EventType type, Gtin gtin, long qty) {
        ObjectNode root = header(eventId, seq, ts);
        root.put("type", type.name());
        root.put("gtin", gtin.value());
        root.put("qty", qty);
        return root;
    }

    public byte[] encodeStatus(boolean online, int heartbeatSeconds, long ts) {
        return bytes(statusNode(online, heartbeatSeconds, ts));
    }

    private ObjectNode statusNode(boolean online, int heartbeatSeconds, long ts) {
        ObjectNode root = mapper.createObjectNode();
        root.put("state", online ? "online" : "offline");
        if (heartbeatSeconds > 0) {
            root.put("heartbeatSeconds", heartbeatSeconds);
        }
        root.put("ts", Instant.ofEpochMilli(ts).toString());
        return root;
    }

    /** A restock alert; its id is deterministic, so a handheld can drop a re-sent one. */
    /**
     * A device's error message (its error topic): {@code {"eventId", "reason", "detail", "ts"}};
     * {@code eventId} null when the message's could not be read; {@code ts} when it was refused.
     */
    public byte[] encodeRefusal(String eventId, String reason, String detail, long ts) {
        ObjectNode root = mapper.createObjectNode();
        root.put("eventId", eventId);
        root.put("reason", reason);
        root.put("detail", detail);
        root.put("ts", Instant.ofEpochMilli(ts).toString());
        return bytes(root);
    }

    /**
     * The {@code eventId} of a message that could not be decoded, if it has one that reads as text
     * (bounded: a payload over the size limit is not read); null otherwise.
     */
    public String eventIdOf(byte[] payload) {
        if (payload.length > limits.maxPayloadBytes()) {
            return null;
        }
        try {
            JsonNode root = mapper.readTree(payload);
            JsonNode id = root == null ? null : root.get("eventId");
            return id != null && id.isTextual() && id.asText().length() <= 256 ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public byte[] encodeAlert(String store, String gtin, String type, long ts) {
        ObjectNode root = mapper.createObjectNode();
        root.put("alertId", store + ":" + gtin + ":" + type + ":" + ts);
        root.put("type", type);
        root.put("storeId", store);
        root.put("gtin", gtin);
        root.put("ts", Instant.ofEpochMilli(ts).toString());
        return bytes(root);
    }

    private ObjectNode header(String eventId, long seq, long ts) {
        ObjectNode root = mapper.createObjectNode();
        root.put("eventId", eventId);
        root.put("seq", seq);
        root.put("ts", Instant.ofEpochMilli(ts).toString());
        return root;
    }

    private static void writeReading(ObjectNode node, Reading r) {
        node.put("gtin", r.gtin().value());
        node.put("count", r.count());
        if (r.capacity() >= 0) {
            node.put("capacity", r.capacity());
        }
        if (!r.location().isEmpty()) {
            node.put("location", r.location());
        }
    }

    private byte[] bytes(ObjectNode root) {
        try {
            return mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode", e);
        }
    }
}
