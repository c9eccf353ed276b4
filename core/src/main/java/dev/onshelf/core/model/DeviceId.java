package dev.onshelf.core.model;

import java.util.regex.Pattern;

/** A device or feed source id: {@code [A-Za-z0-9_-]{1,64}}, registered to exactly one store. */
public record DeviceId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public DeviceId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new ValidationException(RejectReason.DEVICE_INVALID,
                "device id must match [A-Za-z0-9_-]{1,64}");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
