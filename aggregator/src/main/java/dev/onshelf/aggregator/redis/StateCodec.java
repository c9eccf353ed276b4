package dev.onshelf.aggregator.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.availability.SourceHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads the JSON values the Lua scripts write (layout in {@link Keys}). */
final class StateCodec {
    /** The device name under which a staff count of the whole shelf appears as a slot. */
    static final String STAFF = "staff";
    /**
     * Field names are not canonicalised: slot keys ("device|location") are field names here, there
     * are as many as a fleet has slots, and interning them kept Jackson's symbol table filling and
     * flushing (the hottest frame on Lettuce's I/O thread in a JFR profile of the benchmark).
     */
    private final ObjectMapper mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
        .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    ProductState product(String json) {
        JsonNode p = tree(json);
        List<Slot> slots = new ArrayList<>();
        JsonNode s = p.get("s");
        if (s != null && s.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = s.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                int bar = e.getKey().indexOf('|');
                JsonNode v = e.getValue();
                slots.add(new Slot(e.getKey().substring(0, bar), e.getKey().substring(bar + 1),
                    v.get(0).asInt(), v.get(1).asInt(), v.get(2).asLong()));
            }
        }
        JsonNode h = p.get("h");
        if (h != null && h.isArray() && h.size() == 2) {  // a staff count stands for the whole shelf
            slots.clear();
            slots.add(new Slot(STAFF, "shelf", h.get(0).asInt(), -1, h.get(1).asLong()));
        }
        JsonNode b = p.get("b");
        ItemAvailability level = switch (p.path("lv").asText("")) {
            case "I" -> ItemAvailability.InStock;
            case "L" -> ItemAvailability.LimitedAvailability;
            case "O" -> ItemAvailability.OutOfStock;
            default -> null;
        };
        return new ProductState(slots, b == null ? null : b.asLong(), p.path("bt").asLong(0),
            p.path("ct").asLong(0), level);
    }

    /** Health is CSV: online (1|0), heartbeat seconds, status ts, last seen (our clock). */
    SourceHealth health(String csv) {
        if (csv == null || csv.isEmpty()) {
            return SourceHealth.UNKNOWN;
        }
        String[] f = csv.split(",");
        return new SourceHealth("1".equals(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt state value", e);
        }
    }
}
