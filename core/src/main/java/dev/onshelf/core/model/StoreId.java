package dev.onshelf.core.model;


/** The retailer's store code: {@code [A-Za-z0-9_-]{1,32}}. */
public record StoreId(String value) {
    public StoreId {
        if (!Ids.valid(value, 32)) {
            throw new ValidationException(RejectReason.STORE_INVALID,
                "store code must match [A-Za-z0-9_-]{1,32}");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
