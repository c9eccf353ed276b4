package dev.onshelf.core.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.codec.Limits;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Numbered;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.ValidationException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An EPCIS 2.0 JSON-LD capture document, mapped onto OnShelf's events (pure: no I/O). Each event of
 * {@code epcisBody.eventList} is either {@link Mapped} to the writes it stands for (one per GTIN it
 * names, applied through the one pipeline like a staff count) or {@link Refused} with a code and a
 * reason; a document that cannot be read as a whole is refused with an {@link EpcisRefusal} carrying
 * its HTTP status. The mapping (docs/semantics.md, "EPCIS capture"), by CBV business step:
 * <ul>
 *   <li>{@code receiving}, action ADD or OBSERVE, disposition absent, {@code sellable_accessible},
 *       {@code sellable_not_accessible} or {@code in_progress}: RECEIPT, book + quantity;</li>
 *   <li>{@code retail_selling}, action OBSERVE or DELETE, disposition absent or {@code retail_sold}:
 *       SALE, book - quantity;</li>
 *   <li>{@code cycle_counting}, action OBSERVE, disposition {@code sellable_accessible}: a count of the
 *       shelf (what a person counted there: the whole shelf as of eventTime); {@code
 *       sellable_not_accessible}: a stock count, COUNT, book := quantity.</li>
 * </ul>
 * The store is the {@code onshelf:store} field of {@code bizLocation} (else of {@code readPoint}).
 * Quantities come from {@code quantityList} (GTIN class ids, whole units, no {@code uom}) and from
 * {@code epcList} (each distinct SGTIN is one unit of its GTIN), added up per GTIN.
 */
public final class EpcisCapture {
    /** Largest document taken, in bytes (checked before it is read). */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;
    /** Most events in one document. */
    public static final int MAX_EVENTS = 1000;
    /** Longest eventID taken. */
    public static final int MAX_EVENT_ID_CHARS = 256;
    /** The location field naming the OnShelf store, in {@code bizLocation} or {@code readPoint}. */
    public static final String STORE_FIELD = "onshelf:store";
    /** Prefix of the OnShelf event id of each write: {@code epcis:<eventID>#<gtin>}. */
    public static final String EVENT_ID_PREFIX = "epcis:";

    /** What an event is taken as. */
    public enum As { RECEIPT, SALE, COUNT, SHELF_COUNT }

    /** One event of the document, in document order. */
    public sealed interface Captured permits Mapped, Refused {
        int index();

        /** The event's eventID, null when it has none usable. */
        String eventId();
    }

    /** An event taken: the store it is for, what it is taken as, and its writes (one per GTIN). */
    public record Mapped(int index, String eventId, StoreId store, As as, List<Numbered> writes) implements Captured {
        public Mapped {
            writes = List.copyOf(writes);
        }
    }

    /** An event refused before anything was applied, with why. */
    public record Refused(int index, String eventId, String code, String detail) implements Captured {
    }

    private final ObjectMapper mapper;
    private final Limits limits;

    public EpcisCapture(ObjectMapper mapper, Limits limits) {
        this.mapper = mapper;
        this.limits = limits;
    }

    public EpcisCapture() {
        this(new ObjectMapper(), Limits.DEFAULT);
    }

    /**
     * The source under which a store's EPCIS events are applied: the internal id {@code ~epcis} in every
     * store (a device is (store, id), so the store scopes it; no device can be named so). Until
     * 2026-11-29 it was a device named {@code epcis-<store>}, which a real device of that name shared.
     */
    public static DeviceId source(StoreId store) {
        return SOURCE;
    }

    private static final DeviceId SOURCE = DeviceId.internal("epcis");

    /** Maps a whole document; {@code nowMillis} bounds how far ahead an eventTime may be. */
    public List<Captured> capture(byte[] document, long nowMillis) {
        if (document.length > MAX_DOCUMENT_BYTES) {
            throw new EpcisRefusal(413, "epcis:document.too_large",
                "the document is " + document.length + " bytes, at most " + MAX_DOCUMENT_BYTES + " are taken");
        }
        JsonNode root;
        try {
            root = mapper.readTree(document);
        } catch (IOException e) {
            throw new EpcisRefusal(400, "epcis:document.invalid", "the document is not valid JSON");
        }
        if (root == null || !root.isObject() || !"EPCISDocument".equals(root.path("type").asText(null))) {
            throw new EpcisRefusal(400, "epcis:document.invalid", "the body must be an EPCIS 2.0 JSON-LD document: "
                + "an object with \"type\": \"EPCISDocument\" and epcisBody.eventList");
        }
        JsonNode version = root.get("schemaVersion");
        if (version != null && !(version.isTextual() && version.asText().matches("2(\\.\\d+)*"))) {
            throw new EpcisRefusal(400, "epcis:document.version_unsupported",
                "schemaVersion must be 2.x (EPCIS 2.0), got " + EpcisIds.clip(version.toString()));
        }
        JsonNode events = root.path("epcisBody").path("eventList");
        if (!events.isArray()) {
            throw new EpcisRefusal(400, "epcis:document.invalid", "epcisBody.eventList must be an array of events");
        }
        if (events.size() > MAX_EVENTS) {
            throw new EpcisRefusal(413, "epcis:document.too_many_events",
                "the document has " + events.size() + " events, at most " + MAX_EVENTS + " are taken per document");
        }
        List<Captured> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            out.add(event(i, events.get(i), nowMillis));
        }
        return out;
    }

    /** One event, mapped or refused. */
    Captured event(int index, JsonNode event, long nowMillis) {
        String eventId = null;
        try {
            eventId = eventId(event);
            return map(index, eventId, event, nowMillis);
        } catch (EpcisRefusal r) {
            return new Refused(index, eventId, r.code(), r.detail());
        }
    }

    private static String eventId(JsonNode event) {
        if (!event.isObject()) {
            throw new EpcisRefusal("epcis:event.invalid", "an event must be a JSON object");
        }
        JsonNode id = event.get("eventID");
        if (id == null || id.isNull()) {
            throw new EpcisRefusal("epcis:eventID.missing",
                "eventID is required: it is the event's idempotency key (a repeat is recognised by it)");
        }
        String text = id.isTextual() ? id.asText() : "";
        if (text.isEmpty() || text.length() > MAX_EVENT_ID_CHARS || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new EpcisRefusal("epcis:eventID.invalid", "eventID must be a URI of 1 to " + MAX_EVENT_ID_CHARS
                + " printable ASCII characters (e.g. ni:///sha-256;...?ver=CBV2.0 or urn:uuid:...)");
        }
        return text;
    }

    private Mapped map(int index, String eventId, JsonNode event, long nowMillis) {
        String type = event.path("type").asText("");
        if (!type.equals("ObjectEvent")) {
            throw new EpcisRefusal("epcis:type.unsupported", "only ObjectEvent is taken, got "
                + (type.isEmpty() ? "no type" : EpcisIds.clip(type)));
        }
        if (event.has("errorDeclaration")) {
            throw new EpcisRefusal("epcis:errorDeclaration.unsupported",
                "an error declaration (retracting an earlier event) is not taken: send a correcting event instead");
        }
        long ts = eventTime(event, nowMillis);
        String action = event.path("action").asText("");
        if (action.isEmpty()) {
            throw new EpcisRefusal("epcis:action.missing", "action (ADD, OBSERVE or DELETE) is required");
        }
        String bizStep = term(event.get("bizStep"), "bizstep", "BizStep-");
        if (bizStep == null) {
            throw new EpcisRefusal("epcis:bizStep.missing", "bizStep is required: it says what the event does to stock");
        }
        String disposition = term(event.get("disposition"), "disp", "Disp-");
        As as = as(bizStep, action, disposition);
        StoreId store = store(event);
        Map<Gtin, Long> units = units(event, as);
        List<Numbered> writes = new ArrayList<>(units.size());
        DeviceId source = source(store);
        units.forEach((gtin, qty) -> {
            String id = EVENT_ID_PREFIX + eventId + "#" + gtin.value();
            writes.add(switch (as) {
                case SHELF_COUNT -> new ShelfCountEvent(store, source, id, 0, ts, gtin, qty.intValue());
                case RECEIPT -> new FeedEvent(store, source, id, 0, ts, EventType.RECEIPT, gtin, qty);
                case SALE -> new FeedEvent(store, source, id, 0, ts, EventType.SALE, gtin, qty);
                case COUNT -> new FeedEvent(store, source, id, 0, ts, EventType.COUNT, gtin, qty);
            });
        });
        return new Mapped(index, eventId, store, as, writes);
    }

    /** What the event is taken as, from its business step, action and disposition (see the class comment). */
    static As as(String bizStep, String action, String disposition) {
        switch (bizStep) {
            case "receiving" -> {
                require(action, bizStep, "ADD", "OBSERVE");
                if (disposition != null && !Set.of("sellable_accessible", "sellable_not_accessible", "in_progress")
                    .contains(disposition)) {
                    throw new EpcisRefusal("epcis:disposition.unsupported", "receiving with disposition " + disposition
                        + " is not taken: only sellable goods (sellable_accessible, sellable_not_accessible, "
                        + "in_progress, or none) are added to the book stock");
                }
                return As.RECEIPT;
            }
            case "retail_selling" -> {
                require(action, bizStep, "OBSERVE", "DELETE");
                if (disposition != null && !disposition.equals("retail_sold")) {
                    throw new EpcisRefusal("epcis:disposition.unsupported", "retail_selling with disposition "
                        + disposition + " is not taken: a sale's disposition is retail_sold (or none)");
                }
                return As.SALE;
            }
            case "cycle_counting" -> {
                require(action, bizStep, "OBSERVE");
                if ("sellable_accessible".equals(disposition)) {
                    return As.SHELF_COUNT;
                }
                if ("sellable_not_accessible".equals(disposition)) {
                    return As.COUNT;
                }
                throw new EpcisRefusal("epcis:disposition.unsupported", "cycle_counting needs disposition "
                    + "sellable_accessible (a count of the shelf) or sellable_not_accessible (a stock count: the book), "
                    + "got " + (disposition == null ? "none" : disposition));
            }
            default -> throw new EpcisRefusal("epcis:bizStep.unsupported", "bizStep " + bizStep + " is not taken: "
                + "OnShelf maps receiving, retail_selling and cycle_counting");
        }
    }

    private static void require(String action, String bizStep, String... allowed) {
        if (!List.of(allowed).contains(action)) {
            throw new EpcisRefusal("epcis:action.unsupported", bizStep + " with action " + EpcisIds.clip(action)
                + " is not taken: it needs " + String.join(" or ", allowed));
        }
    }

    /**
     * A CBV term in any of its EPCIS 2.0 spellings: bare ({@code receiving}), URN
     * ({@code urn:epcglobal:cbv:bizstep:receiving}) or Web URI ({@code https://ref.gs1.org/cbv/BizStep-receiving}).
     * Null when absent; a term of another vocabulary is kept whole (and refused as unsupported).
     */
    static String term(JsonNode node, String urnKind, String webPrefix) {
        if (node == null || node.isNull()) {
            return null;
        }
        String v = node.asText("");
        String urn = "urn:epcglobal:cbv:" + urnKind + ":";
        String web = "https://ref.gs1.org/cbv/" + webPrefix;
        if (v.startsWith(urn)) {
            return v.substring(urn.length());
        }
        if (v.startsWith(web)) {
            return v.substring(web.length());
        }
        if (v.startsWith("cbv:" + webPrefix)) {
            return v.substring(("cbv:" + webPrefix).length());
        }
        return EpcisIds.clip(v);
    }

    private long eventTime(JsonNode event, long nowMillis) {
        JsonNode t = event.get("eventTime");
        if (t == null || !t.isTextual()) {
            throw new EpcisRefusal("epcis:eventTime.missing", "eventTime is required (ISO 8601 with an offset)");
        }
        long ts;
        try {
            ts = OffsetDateTime.parse(t.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new EpcisRefusal("epcis:eventTime.invalid",
                "eventTime must be an ISO 8601 date-time with an offset (2026-11-22T10:15:30.123+01:00 or ...Z)");
        }
        if (ts > nowMillis + limits.maxFutureSkew().toMillis()) {
            throw new EpcisRefusal("epcis:eventTime.future", "eventTime is more than "
                + limits.maxFutureSkew().toMinutes() + " minutes ahead of OnShelf's clock");
        }
        return ts;
    }

    private static StoreId store(JsonNode event) {
        JsonNode named = event.path("bizLocation").get(STORE_FIELD);
        if (named == null) {
            named = event.path("readPoint").get(STORE_FIELD);
        }
        if (named == null || !named.isTextual()) {
            throw new EpcisRefusal("epcis:bizLocation.store_missing", "the store must be named by \"" + STORE_FIELD
                + "\" in bizLocation (or readPoint), e.g. {\"id\": \"urn:epc:id:sgln:4012345.00001.0\", \""
                + STORE_FIELD + "\": \"0421\"}");
        }
        try {
            return new StoreId(named.asText());
        } catch (ValidationException e) {
            throw new EpcisRefusal("epcis:store.invalid", STORE_FIELD + ": " + e.detail());
        }
    }

    /** Units per GTIN, in the order first named: quantityList plus distinct SGTINs of epcList. */
    private Map<Gtin, Long> units(JsonNode event, As as) {
        Map<Gtin, Long> units = new LinkedHashMap<>();
        JsonNode quantities = event.get("quantityList");
        JsonNode epcs = event.get("epcList");
        if (quantities != null && !quantities.isArray() || epcs != null && !epcs.isArray()) {
            throw new EpcisRefusal("epcis:quantity.invalid", "quantityList and epcList must be arrays");
        }
        long least = as == As.COUNT || as == As.SHELF_COUNT ? 0 : 1;
        if (quantities != null) {
            for (JsonNode q : quantities) {
                JsonNode epcClass = q.get("epcClass");
                if (epcClass == null || !epcClass.isTextual()) {
                    throw new EpcisRefusal("epcis:epcClass.missing", "each quantityList element needs an epcClass");
                }
                Gtin gtin = EpcisIds.ofClass(epcClass.asText());
                if (q.has("uom")) {
                    throw new EpcisRefusal("epcis:quantity.uom_unsupported", "quantity of " + gtin
                        + " has a uom: only whole units (no uom) are counted");
                }
                JsonNode n = q.get("quantity");
                if (n == null || n.isNull()) {
                    throw new EpcisRefusal("epcis:quantity.missing", "the quantityList element of " + gtin
                        + " has no quantity");
                }
                if (!n.isNumber() || n.decimalValue().stripTrailingZeros().scale() > 0 || !n.canConvertToLong()
                    || n.asLong() < least || n.asLong() > limits.maxUnits()) {
                    throw new EpcisRefusal("epcis:quantity.invalid", "quantity of " + gtin + " must be a whole number "
                        + "from " + least + " to " + limits.maxUnits() + ", got " + EpcisIds.clip(n.toString()));
                }
                add(units, gtin, n.asLong());
            }
        }
        if (epcs != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode e : epcs) {
                String epc = e.asText("");
                Gtin gtin = EpcisIds.ofInstance(epc);
                if (seen.add(epc)) {  // one tag read twice is one unit
                    add(units, gtin, 1);
                }
            }
        }
        if (units.isEmpty()) {
            throw new EpcisRefusal("epcis:quantity.missing",
                "the event names no units: a quantityList of GTIN classes or an epcList of SGTINs is required");
        }
        for (Map.Entry<Gtin, Long> u : units.entrySet()) {
            if (u.getValue() > limits.maxUnits()) {
                throw new EpcisRefusal("epcis:quantity.invalid", "the event adds up to " + u.getValue() + " units of "
                    + u.getKey() + ", at most " + limits.maxUnits());
            }
        }
        return units;
    }

    private static void add(Map<Gtin, Long> units, Gtin gtin, long n) {
        units.merge(gtin, n, Long::sum);
    }
}
