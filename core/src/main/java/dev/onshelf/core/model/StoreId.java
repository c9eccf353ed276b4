package dev.onshelf.core.model;

import java.util.regex.Pattern;

/** The retailer's store code: {@code [A-Za-z0-9_-]{1,32}}. */
public record StoreId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public StoreId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new ValidationException(RejectReason.STORE_INVALID,
                "store code must match [A-Za-z0-9_-]{1,32}");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
