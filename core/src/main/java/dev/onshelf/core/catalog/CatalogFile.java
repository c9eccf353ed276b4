package dev.onshelf.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a catalogue: CSV with a header row, or JSON lines. Columns (CSV header names, or JSON
 * fields; case-insensitive): {@code gtin} and {@code name} required, {@code brand}, {@code size},
 * {@code category}, {@code imageUrl} optional; other columns are ignored. CSV is RFC 4180 (comma,
 * fields in double quotes may hold commas and doubled quotes, not line breaks), UTF-8. In JSON
 * lines each non-blank line is one object. A bad row stops the load with an error naming its line;
 * so does a GTIN given twice.
 */
public final class CatalogFile {
    public enum Format { CSV, JSON_LINES }

    /** A row that cannot be loaded; the message starts with "line N:". */
    public static final class Error extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Error(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogFile() {
    }

    /** CSV for a name ending in .csv, JSON lines for .jsonl/.ndjson/.json, else by the first character. */
    public static Format formatOf(String fileName, String firstLine) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return Format.CSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return Format.JSON_LINES;
        }
        return firstLine != null && firstLine.stripLeading().startsWith("{") ? Format.JSON_LINES : Format.CSV;
    }

    public static List<Product> parse(Reader reader, Format format) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<Product> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> columns = null;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> row;
            if (format == Format.JSON_LINES) {
                row = jsonRow(line, lineNo);
            } else if (columns == null) {
                columns = header(split(line, lineNo), lineNo);
                continue;
            } else {
                row = csvRow(split(line, lineNo), columns, lineNo);
            }
            Product p = product(row, lineNo);
            Integer before = seen.putIfAbsent(p.gtin().value(), lineNo);
            if (before != null) {
                throw new Error(lineNo, "GTIN " + p.gtin().value() + " is already on line " + before);
            }
            out.add(p);
        }
        if (format == Format.CSV && columns == null) {
            throw new Error(Math.max(1, lineNo), "no header row (gtin,name,brand,size,category,imageUrl)");
        }
        return out;
    }

    private static final List<String> FIELDS = List.of("gtin", "name", "brand", "size", "category", "imageurl");

    private static Product product(Map<String, String> row, int line) {
        String raw = row.get("gtin");
        if (raw == null || raw.isBlank()) {
            throw new Error(line, "gtin is missing");
        }
        Gtin gtin;
        try {
            gtin = Gtin.parse(raw.strip());
        } catch (ValidationException e) {
            throw new Error(line, "gtin " + raw.strip() + ": " + e.getMessage());
        }
        try {
            return new Product(gtin, row.get("name"), row.get("brand"), row.get("size"), row.get("category"),
                row.get("imageurl"));
        } catch (IllegalArgumentException e) {
            throw new Error(line, e.getMessage());
        }
    }

    private static Map<String, String> jsonRow(String line, int lineNo) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Error(lineNo, "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new Error(lineNo, "each line must be one JSON object");
        }
        Map<String, String> row = new HashMap<>();
        node.fields().forEachRemaining(f -> {
            String key = f.getKey().toLowerCase(Locale.ROOT);
            if (FIELDS.contains(key) && !f.getValue().isNull()) {
                if (!f.getValue().isTextual() && !(key.equals("gtin") && f.getValue().isIntegralNumber())) {
                    throw new Error(lineNo, f.getKey() + " must be a string");
                }
                row.put(key, f.getValue().asText());
            }
        });
        return row;
    }

    private static Map<String, Integer> header(List<String> cells, int line) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String key = cells.get(i).strip().toLowerCase(Locale.ROOT);
            if (FIELDS.contains(key) && columns.putIfAbsent(key, i) != null) {
                throw new Error(line, "column " + cells.get(i).strip() + " appears twice");
            }
        }
        for (String required : List.of("gtin", "name")) {
            if (!columns.containsKey(required)) {
                throw new Error(line, "the header row has no " + required
                    + " column (expected gtin,name,brand,size,category,imageUrl)");
            }
        }
        return columns;
    }

    private static Map<String, String> csvRow(List<String> cells, Map<String, Integer> columns, int line) {
        int needed = columns.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (cells.size() < columns.get("name") + 1 || cells.size() < columns.get("gtin") + 1) {
            throw new Error(line, "has " + cells.size() + " field(s); the header has " + needed);
        }
        Map<String, String> row = new HashMap<>();
        columns.forEach((k, i) -> row.put(k, i < cells.size() ? cells.get(i) : null));
        return row;
    }

    /** One CSV line's fields (RFC 4180 quoting; a quoted field may not span lines). */
    static List<String> split(String line, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                cell.setLength(0);
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"') {
                throw new Error(lineNo, "a quote inside an unquoted field (field " + (out.size() + 1) + ")");
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                throw new Error(lineNo, "text after a closing quote (field " + (out.size() + 1) + ")");
            } else if (!wasQuoted) {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new Error(lineNo, "a quoted field is not closed (line breaks inside fields are not supported)");
        }
        out.add(cell.toString());
        return out;
    }
}
