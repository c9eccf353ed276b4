package dev.onshelf.api.http;

import dev.onshelf.core.feed.LocalInventoryRow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * How the local inventory feed is written, a piece at a time (the feed is streamed): TSV with a header
 * row of Merchant Center's attribute names, as Google's feeds take it, or JSON ({@code {"items": [...]}}
 * with the same names as keys). Without public counts there is no {@code quantity} column at all.
 */
enum LocalInventoryFormat {
    TSV("text/tab-separated-values; charset=utf-8"), JSON("application/json");

    private final String contentType;

    LocalInventoryFormat(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static List<String> columns(boolean counts) {
        return counts ? List.of("store_code", "id", "availability", "quantity", "pickup_method", "pickup_sla")
            : List.of("store_code", "id", "availability", "pickup_method", "pickup_sla");
    }

    /** What comes before the first row. */
    Buffer start(boolean counts) {
        return this == TSV ? Buffer.buffer(String.join("\t", columns(counts)) + "\n") : Buffer.buffer("{\"items\":[");
    }

    /** One row appended to {@code out}; {@code first} is whether it is the feed's first row. */
    void row(Buffer out, LocalInventoryRow r, boolean counts, boolean first) {
        if (this == TSV) {
            StringBuilder line = new StringBuilder(64).append(cell(r.storeCode())).append('\t').append(cell(r.id()))
                .append('\t').append(cell(r.availability()));
            if (counts) {
                line.append('\t').append(r.quantity() == null ? "" : r.quantity().toString());
            }
            line.append('\t').append(cell(r.pickupMethod())).append('\t').append(cell(r.pickupSla())).append('\n');
            out.appendString(line.toString());
            return;
        }
        JsonObject json = new JsonObject().put("store_code", r.storeCode()).put("id", r.id())
            .put("availability", r.availability());
        if (counts && r.quantity() != null) {
            json.put("quantity", r.quantity());
        }
        if (r.pickupMethod() != null) {
            json.put("pickup_method", r.pickupMethod());
        }
        if (r.pickupSla() != null) {
            json.put("pickup_sla", r.pickupSla());
        }
        if (!first) {
            out.appendString(",");
        }
        out.appendBuffer(json.toBuffer());
    }

    /** What comes after the last row. */
    Buffer end() {
        return this == TSV ? Buffer.buffer() : Buffer.buffer("]}");
    }

    /** Values are store codes, digits and fixed words; a tab or line break would break the row, so never pass. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a local inventory value must not contain tabs or line breaks");
        }
        return value;
    }

    /**
     * The format asked for: {@code format} (tsv or json) when given, else the Accept header's most
     * preferred of text/tab-separated-values and application/json (TSV for *&#47;* or no Accept, as
     * Merchant Center's scheduled fetches send); none acceptable: 406.
     */
    static LocalInventoryFormat choose(String format, List<io.vertx.ext.web.MIMEHeader> accept) {
        if (format != null) {
            return "json".equals(format) ? JSON : TSV;
        }
        if (accept == null || accept.isEmpty()) {
            return TSV;
        }
        for (io.vertx.ext.web.MIMEHeader m : accept) {  // most preferred first (Vert.x sorts by q)
            if (m.weight() <= 0) {
                continue;  // q=0: explicitly not acceptable
            }
            String type = m.component();
            String sub = m.subComponent();
            if ("text".equals(type) && ("tab-separated-values".equals(sub) || "*".equals(sub))
                || "*".equals(type)) {
                return TSV;
            }
            if ("application".equals(type) && ("json".equals(sub) || "*".equals(sub))) {
                return JSON;
            }
        }
        throw new ProblemException(406, "feed:format.not_acceptable", "Not acceptable",
            "the local inventory feed is text/tab-separated-values or application/json (or ?format=tsv|json)");
    }
}
