package dev.onshelf.core.availability;

import java.util.Locale;

/** How much the answer can be trusted: high = fresh shelf reading, medium = book only, low = old. */
public enum Confidence {
    HIGH, MEDIUM, LOW, NONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
