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

/**
 * Reads the product values the Lua scripts write (layout in {@link Keys}): packed (version 2; version 1
 * and JSON as written before it are read until the product's next write rewrites them as version 2).
 */
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

    /**
     * The product value's version: 2, whose first byte is 0x80 + the low six flags (+ 0x40 when more
     * follow). Version 1 values (first byte 1) are still read; a JSON value starts with '{'.
     */
    static final int VERSION = 2;
    /** The first byte of a version 1 value. */
    static final int VERSION_1 = 1;
    private static final ItemAvailability[] LEVELS = {null, ItemAvailability.InStock,
        ItemAvailability.LimitedAvailability, ItemAvailability.OutOfStock};

    /** Thrown when a packed value names a device index the caller's device table does not have yet. */
    static final class UnknownDevice extends RuntimeException {
        UnknownDevice(int index) {
            super("unknown device index " + index, null, false, false);
        }
    }

    /**
     * A stored value, packed (version 2 or 1) or JSON; {@code devices} maps the indexes of packed slots'
     * devices and location shapes to their names (the store's onshelf:{S}:devix), and throws
     * {@link UnknownDevice} for an index it does not know.
     */
    ProductState product(byte[] raw, java.util.function.IntFunction<String> devices) {
        if (raw.length > 0 && raw[0] == '{') {
            return product(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (raw.length > 0 && (raw[0] & 0x80) != 0) {
            return version2(raw, devices);
        }
        if (raw.length == 0 || raw[0] != VERSION_1) {
            throw new IllegalStateException("corrupt state value: version " + (raw.length == 0 ? -1 : raw[0]));
        }
        Reader r = new Reader(raw);
        int flags = (int) r.uint();
        long base = r.uint();
        int n = (int) r.uint();
        List<Slot> slots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String device = devices.apply((int) r.uint());
            String location = r.text((int) r.uint());
            int count = (int) r.sint();
            int capacity = (int) r.sint();
            slots.add(new Slot(device, location, count, capacity, base - r.uint()));
        }
        Long book = (flags & 8) != 0 ? r.sint() : null;
        long bookTs = (flags & 16) != 0 ? base - r.uint() : 0;
        long countTs = (flags & 32) != 0 ? base - r.uint() : 0;
        if ((flags & 64) != 0) {
            r.uint();  // lf: the newest delta given up, for the script alone
        }
        if ((flags & 128) != 0) {
            r.uint();  // t: the low-stock override, for the script alone
        }
        if ((flags & 256) != 0) {  // a staff count stands for the whole shelf
            int count = (int) r.sint();
            slots.clear();
            slots.add(new Slot(STAFF, "shelf", count, -1, base - r.uint()));
        }
        return new ProductState(slots, book, bookTs, countTs, LEVELS[flags & 3]);
    }

    /** Version 2 (layout in {@link Keys}); the deltas after its fields are for the script alone. */
    private ProductState version2(byte[] raw, java.util.function.IntFunction<String> devices) {
        Reader r = new Reader(raw);
        int flags = raw[0] & 0x3f;
        if ((raw[0] & 0x40) != 0) {
            flags |= (int) r.uint() << 6;
        }
        long newest = r.uint();
        int n = (flags & 1024) != 0 ? (int) r.uint() : 1;
        List<Slot> slots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String device = devices.apply((int) r.uint());
            int code = (int) r.uint();
            String location = (code & 1) == 0 ? r.text(code >>> 1) : r.shaped(devices.apply(code >>> 1));
            int count = (int) r.sint();
            int capacity = (int) r.sint();
            slots.add(new Slot(device, location, count, capacity, newest - r.uint()));
        }
        Long book = (flags & 8) != 0 ? r.sint() : null;
        long bookTs = (flags & 16) != 0 ? newest - r.uint() : 0;
        long countTs = (flags & 32) != 0 ? ((flags & 16) != 0 ? bookTs : newest) - r.sint() : 0;
        if ((flags & 128) != 0) {
            r.uint();  // lf: the newest delta given up, for the script alone
        }
        if ((flags & 256) != 0) {
            r.uint();  // t: the low-stock override, for the script alone
        }
        if ((flags & 512) != 0) {  // a staff count stands for the whole shelf
            int count = (int) r.sint();
            slots.clear();
            slots.add(new Slot(STAFF, "shelf", count, -1, newest - r.uint()));
        }
        return new ProductState(slots, book, bookTs, countTs, LEVELS[flags & 3]);
    }

    /** LEB128 varints (signed ones zigzag), as apply.lua's put_uint / put_int write them. */
    private static final class Reader {
        private final byte[] raw;
        private int at = 1;

        Reader(byte[] raw) {
            this.raw = raw;
        }

        long uint() {
            long n = 0;
            for (int shift = 0; ; shift += 7) {
                int c = raw[at++] & 0xff;
                n |= (long) (c & 0x7f) << shift;
                if (c < 0x80) {
                    return n;
                }
            }
        }

        long sint() {
            long z = uint();
            return (z >>> 1) ^ -(z & 1);
        }

        /**
         * A location of a shape ("@" + text in which a byte 1-9 stands for a run of that many digits),
         * its digits read from here as one number.
         */
        String shaped(String shape) {
            if (shape.isEmpty() || shape.charAt(0) != '@') {
                throw new IllegalStateException("corrupt state value: location shape " + shape);
            }
            int width = 0;
            for (int i = 1; i < shape.length(); i++) {
                char c = shape.charAt(i);
                if (c >= 1 && c <= 9) {
                    width += c;
                }
            }
            String number = Long.toString(uint());
            if (number.length() > width) {
                throw new IllegalStateException("corrupt state value: " + number + " in a shape of " + width + " digits");
            }
            String digits = "0".repeat(width - number.length()) + number;
            StringBuilder out = new StringBuilder(shape.length() + width);
            int at = 0;
            for (int i = 1; i < shape.length(); i++) {
                char c = shape.charAt(i);
                if (c >= 1 && c <= 9) {
                    out.append(digits, at, at + c);
                    at += c;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        String text(int length) {
            String s = new String(raw, at, length, java.nio.charset.StandardCharsets.UTF_8);
            at += length;
            return s;
        }
    }

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
