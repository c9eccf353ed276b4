package dev.onshelf.core.model;


/**
 * A device or feed source id: {@code [A-Za-z0-9_-]{1,64}}, unique within its store (every store may
 * have its own {@code till-1}: a device is the pair (store, device id)). OnShelf's own sources of
 * writes that no device makes (the staff handheld's counts, EPCIS captures) are <i>internal</i> ids,
 * {@code ~} and a lower-case name: outside the devices' alphabet, so no real device can ever share
 * their ledger or health, and never accepted from a topic or an admin path ({@link #parse}).
 */
public record DeviceId(String value) {
    /** The first character of an internal source id. */
    public static final String INTERNAL_PREFIX = "~";

    public DeviceId {
        if (!Ids.valid(value, 64) && !internalForm(value)) {
            throw new ValidationException(RejectReason.DEVICE_INVALID,
                "device id must match [A-Za-z0-9_-]{1,64}");
        }
    }

    /** {@code ~[a-z]{1,20}}, checked by hand like {@link Ids#valid} (a device id is made for every event). */
    private static boolean internalForm(String value) {
        if (value == null || value.length() < 2 || value.length() > 21 || value.charAt(0) != '~') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    /** A device id given from outside (a topic, an admin path, a registry file): never an internal one. */
    public static DeviceId parse(String value) {
        if (!Ids.valid(value, 64)) {
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
