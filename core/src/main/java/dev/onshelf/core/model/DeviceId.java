package dev.onshelf.core.model;


/** A device or feed source id: {@code [A-Za-z0-9_-]{1,64}}, registered to exactly one store. */
public record DeviceId(String value) {
    public DeviceId {
        if (!Ids.valid(value, 64)) {
            throw new ValidationException(RejectReason.DEVICE_INVALID,
                "device id must match [A-Za-z0-9_-]{1,64}");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
