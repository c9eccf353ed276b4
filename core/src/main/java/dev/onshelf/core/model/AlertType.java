package dev.onshelf.core.model;

/** Restock alerts for a store's handhelds, published once per transition. */
public enum AlertType {
    SHELF_LOW("shelf.low"),
    SHELF_EMPTY("shelf.empty"),
    BACK_IN_STOCK("shelf.back_in_stock"),
    PHANTOM_STOCK("stock.phantom");

    private final String code;

    AlertType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static AlertType fromCode(String code) {
        for (AlertType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown alert type: " + code);
    }
}
