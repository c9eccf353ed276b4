package dev.onshelf.api.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Named dependency checks for {@code /health/ready}: ready only while every one holds. */
public final class Readiness {
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public Readiness with(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    Map<String, Boolean> evaluate() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        checks.forEach((name, check) -> out.put(name, check.getAsBoolean()));
        return out;
    }
}
