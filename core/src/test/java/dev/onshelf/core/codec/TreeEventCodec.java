package dev.onshelf.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The decode path of {@link EventCodec} as it was before it read payloads with a streaming parser
 * (2026-11-29), copied verbatim: the payload as a Jackson tree, then the checks on the tree. Kept in
 * the tests only, as the reference the streaming decoder must agree with ({@code
 * EventCodecDifferentialTest}) and is measured against ({@code EventCodecBench}). Do not change it.
 */
final class TreeEventCodec {
    private static final long MAX_SEQ = EventCodec.MAX_SEQ;
    private final ObjectReader trees;
    private final Limits limits;

    TreeEventCodec(ObjectMapper mapper, Limits limits) {
        this.trees = mapper.readerFor(JsonNode.class);
        this.limits = limits;
    }

    TreeEventCodec() {
        this(new ObjectMapper(), Limits.DEFAULT);
    }

    /** Decodes one message; {@code nowMillis} bounds how far in the future a timestamp may be. */
    public Event decode(String topicName, byte[] payload, long nowMillis) {
        Topic topic = Topic.parse(topicName);
        if (payload.length > limits.maxPayloadBytes()) {
            throw new ValidationException(RejectReason.PAYLOAD_TOO_LARGE,
                "payload is " + payload.length + " bytes, limit " + limits.maxPayloadBytes());
        }
        JsonNode root = parse(payload);
        checkTopicAgreement(topic, root);
        long ts = timestamp(root, "ts", nowMillis);
        return switch (topic.kind()) {
            case SHELF -> new ShelfEvent(topic.store(), topic.device(), eventId(root), seq(root), ts, readings(root),
                session(root));
            case FEED -> feed(topic, root, ts);
            case STATUS -> status(topic, root, ts);
        };
    }

    private JsonNode parse(byte[] payload) {
        try {
            JsonNode root = trees.readTree(payload);
            if (root == null || !root.isObject()) {
                throw new ValidationException(RejectReason.JSON_MALFORMED, "payload must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ValidationException(RejectReason.JSON_MALFORMED,
                "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException(RejectReason.JSON_MALFORMED, "payload could not be read");
        }
    }

    private static void checkTopicAgreement(Topic topic, JsonNode root) {
        String store = optionalText(root, "storeId", optionalText(root, "store", null));
        if (store != null && !store.equals(topic.store().value())) {
            throw new ValidationException(RejectReason.TOPIC_MISMATCH,
                "payload store '" + store + "' disagrees with topic store '" + topic.store() + "'");
        }
        String deviceField = topic.kind() == TopicKind.FEED ? "source" : "deviceId";
        String device = optionalText(root, deviceField, optionalText(root, "device", null));
        if (device != null && !device.equals(topic.device().value())) {
            throw new ValidationException(RejectReason.TOPIC_MISMATCH,
                "payload device '" + device + "' disagrees with topic device '" + topic.device() + "'");
        }
    }

    private List<Reading> readings(JsonNode root) {
        JsonNode batch = root.get("readings");
        if (batch == null) {
            return List.of(reading(root));
        }
        if (!batch.isArray() || batch.isEmpty()) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "readings must be a non-empty array");
        }
        if (batch.size() > limits.maxBatch()) {
            throw new ValidationException(RejectReason.QUANTITY_OUT_OF_RANGE,
                "batch of " + batch.size() + " readings, limit " + limits.maxBatch());
        }
        List<Reading> out = new ArrayList<>(batch.size());
        for (JsonNode r : batch) {
            if (!r.isObject()) {
                throw new ValidationException(RejectReason.FIELD_INVALID, "each reading must be an object");
            }
            out.add(reading(r));
        }
        return out;
    }

    private Reading reading(JsonNode node) {
        Gtin gtin = Gtin.parse(requiredText(node, "gtin"));
        int count = (int) units(node, "count", true, 0);
        int capacity = node.has("capacity") && !node.get("capacity").isNull()
            ? (int) units(node, "capacity", true, 1) : -1;
        String location = optionalText(node, "location", "");
        if (location.length() > 64 || location.indexOf('|') >= 0) {
            throw new ValidationException(RejectReason.FIELD_INVALID,
                "location must be at most 64 characters and not contain '|'");
        }
        return new Reading(gtin, count, capacity, location);
    }

    private FeedEvent feed(Topic topic, JsonNode root, long ts) {
        String typeName = requiredText(root, "type");
        EventType type;
        try {
            type = EventType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(RejectReason.TYPE_UNKNOWN,
                "unknown event type '" + typeName + "'; expected SALE, RETURN, RECEIPT, COUNT or ADJUST");
        }
        Gtin gtin = Gtin.parse(requiredText(root, "gtin"));
        long qty = switch (type) {
            case COUNT -> units(root, "qty", true, 0);
            case ADJUST -> nonZero(units(root, "qty", false, 0));
            default -> units(root, "qty", true, 1);
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

    private static StatusEvent status(Topic topic, JsonNode root, long ts) {
        String state = requiredText(root, "state");
        boolean online = switch (state) {
            case "online" -> true;
            case "offline" -> false;
            default -> throw new ValidationException(RejectReason.FIELD_INVALID,
                "state must be 'online' or 'offline'");
        };
        int heartbeat = 0;
        JsonNode hb = root.get("heartbeatSeconds");
        if (hb != null && !hb.isNull()) {
            if (!hb.canConvertToInt() || !hb.isIntegralNumber() || hb.asInt() < 1 || hb.asInt() > 86_400) {
                throw new ValidationException(RejectReason.FIELD_INVALID,
                    "heartbeatSeconds must be an integer from 1 to 86400");
            }
            heartbeat = hb.asInt();
        }
        return new StatusEvent(topic.store(), topic.device(), ts, online, heartbeat, session(root));
    }

    /**
     * The optional boot id: 1 to 64 of {@code A-Z a-z 0-9 _ . : -}; empty when absent. It tells a
     * restarted device from a replay, and a will from a stale one.
     */
    private static String session(JsonNode root) {
        String session = optionalText(root, "session", "");
        if (!session.isEmpty() || root.has("session") && !root.get("session").isNull()) {
            if (session.isEmpty() || session.length() > 64 || !session.chars().allMatch(TreeEventCodec::sessionChar)) {
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

    private static String eventId(JsonNode root) {
        String id = requiredText(root, "eventId");
        if (id.isEmpty() || id.length() > 128) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "eventId must be 1 to 128 characters");
        }
        return id;
    }

    private static long seq(JsonNode root) {
        JsonNode n = root.get("seq");
        if (n == null || n.isNull()) {
            throw new ValidationException(RejectReason.FIELD_MISSING, "seq is required");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1 || n.asLong() > MAX_SEQ) {
            throw new ValidationException(RejectReason.FIELD_INVALID, "seq must be an integer from 1 to " + MAX_SEQ);
        }
        return n.asLong();
    }

    private long timestamp(JsonNode root, String field, long nowMillis) {
        String text = requiredText(root, field);
        long ts;
        try {
            ts = IsoInstant.parseMillis(text);
        } catch (RuntimeException e) {
            throw new ValidationException(RejectReason.TIMESTAMP_INVALID,
                field + " must be an ISO-8601 instant such as 2026-11-22T10:15:30.123Z");
        }
        if (ts < 0) {
            throw new ValidationException(RejectReason.TIMESTAMP_INVALID, field + " is before 1970");
        }
        if (ts > nowMillis + limits.maxFutureSkew().toMillis()) {
            throw new ValidationException(RejectReason.TIMESTAMP_FUTURE,
                field + " is more than " + limits.maxFutureSkew().toSeconds() + " s in the future");
        }
        return ts;
    }

    private long units(JsonNode node, String field, boolean nonNegative, long min) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw new ValidationException(RejectReason.FIELD_MISSING, field + " is required");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ValidationException(RejectReason.FIELD_INVALID, field + " must be an integer");
        }
        long v = n.asLong();
        long floor = nonNegative ? min : -limits.maxUnits();
        if (v < floor || v > limits.maxUnits()) {
            throw new ValidationException(RejectReason.QUANTITY_OUT_OF_RANGE,
                field + " must be from " + floor + " to " + limits.maxUnits() + ", got " + v);
        }
        return v;
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw new ValidationException(RejectReason.FIELD_MISSING, field + " is required");
        }
        if (!n.isTextual()) {
            throw new ValidationException(RejectReason.FIELD_INVALID, field + " must be a string");
        }
        return n.textValue();
    }

    private static String optionalText(JsonNode node, String field, String fallback) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new ValidationException(RejectReason.FIELD_INVALID, field + " must be a string");
        }
        return n.textValue();
    }
}
