package dev.onshelf.core.model;

import java.util.Locale;

/** What a registered device publishes: shelf readings or feed events. */
public enum DeviceKind {
    SHELF, FEED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceKind parse(String s) {
        if ("shelf".equals(s)) {
            return SHELF;
        }
        if ("feed".equals(s)) {
            return FEED;
        }
        throw new ValidationException(RejectReason.FIELD_INVALID, "kind must be 'shelf' or 'feed'");
    }
}
