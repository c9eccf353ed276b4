package dev.onshelf.core.catalog;

import dev.onshelf.core.model.Gtin;

/**
 * One catalogue entry: what people call a GTIN. {@code name} is required; the rest may be null.
 * Every text is at most {@link #MAX_TEXT} characters; an image URL is http(s) and at most
 * {@link #MAX_URL}. The constructor refuses anything else with an {@link IllegalArgumentException}
 * whose message names the field.
 */
public record Product(Gtin gtin, String name, String brand, String size, String category, String imageUrl) {
    public static final int MAX_TEXT = 200;
    public static final int MAX_URL = 2000;

    public Product {
        if (gtin == null) {
            throw new IllegalArgumentException("gtin is missing");
        }
        name = text("name", name);
        if (name == null) {
            throw new IllegalArgumentException("name is required (1 to " + MAX_TEXT + " characters)");
        }
        brand = text("brand", brand);
        size = text("size", size);
        category = text("category", category);
        imageUrl = blankToNull(imageUrl);
        if (imageUrl != null && (imageUrl.length() > MAX_URL
            || !(imageUrl.startsWith("https://") || imageUrl.startsWith("http://")) || imageUrl.matches(".*\\s.*"))) {
            throw new IllegalArgumentException("imageUrl must be an http(s) URL of at most " + MAX_URL + " characters");
        }
    }

    private static String text(String field, String value) {
        String v = blankToNull(value);
        if (v != null && (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_TEXT
                + " characters, without control characters");
        }
        return v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
