package dev.onshelf.core.model;

import java.util.regex.Pattern;

/**
 * A device or feed source id: {@code [A-Za-z0-9_-]{1,64}}, unique within its store (every store may
 * have its own {@code till-1}: a device is the pair (store, device id)). OnShelf's own sources of
 * writes that no device makes (the staff handheld's counts, EPCIS captures) are <i>internal</i> ids,
 * {@code ~} and a lower-case name: outside the devices' alphabet, so no real device can ever share
 * their ledger or health, and never accepted from a topic or an admin path ({@link #parse}).
 */
public record DeviceId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern INTERNAL = Pattern.compile("~[a-z]{1,20}");
    /** The first character of an internal source id. */
    public static final String INTERNAL_PREFIX = "~";

    public DeviceId {
        if (value == null || !FORMAT.matcher(value).matches() && !INTERNAL.matcher(value).matches()) {
            throw new ValidationException(RejectReason.DEVICE_INVALID,
                "device id must match [A-Za-z0-9_-]{1,64}");
        }
    }

    /** A device id given from outside (a topic, an admin path, a registry file): never an internal one. */
    public static DeviceId parse(String value) {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new ValidationException(RejectReason.DEVICE_INVALID,
                "device id must match [A-Za-z0-9_-]{1,64}");
        }
        return new DeviceId(value);
    }

    /** OnShelf's own source {@code ~name} ({@code name}: 1 to 20 of a-z). */
    public static DeviceId internal(String name) {
        return new DeviceId(INTERNAL_PREFIX + name);
    }

    /** Whether this is one of OnShelf's own sources rather than a device. */
    public boolean isInternal() {
        return value.startsWith(INTERNAL_PREFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}
