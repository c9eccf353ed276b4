package dev.onshelf.core.model;

/**
 * Why an inbound message or a request parameter was refused. The {@link #code()} is stable: it is
 * the {@code reason} tag of {@code onshelf.gateway.events.rejected}, the dead-letter reason and the
 * suffix of a problem+json {@code code}. A small fixed set, safe as a metric tag.
 */
public enum RejectReason {
    PAYLOAD_TOO_LARGE("payload.too_large"),
    JSON_MALFORMED("json.malformed"),
    FIELD_MISSING("field.missing"),
    FIELD_INVALID("field.invalid"),
    GTIN_INVALID("gtin.invalid"),
    STORE_INVALID("store.invalid"),
    DEVICE_INVALID("device.invalid"),
    QUANTITY_OUT_OF_RANGE("quantity.out_of_range"),
    TYPE_UNKNOWN("type.unknown"),
    TIMESTAMP_INVALID("timestamp.invalid"),
    TIMESTAMP_FUTURE("timestamp.future"),
    TOPIC_UNKNOWN("topic.unknown"),
    TOPIC_MISMATCH("topic.mismatch"),
    STORE_UNKNOWN("store.unknown"),
    DEVICE_UNREGISTERED("device.unregistered"),
    DEVICE_WRONG_KIND("device.wrong_kind"),
    /** The store could not apply the event (a script error): dead-lettered for an operator to replay. */
    STORE_ERROR("store.error"),
    /**
     * The event belongs to a part of its source's history the ledger no longer keeps (an epoch
     * beyond the bound): it cannot tell a replay from a late event, so it refuses it, visibly.
     */
    SEQ_FORGOTTEN("seq.forgotten"),
    /** An HTTP write reused the idempotency key of a different write (another product, quantity or person). */
    IDEMPOTENCY_MISMATCH("idempotency.mismatch");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static RejectReason fromCode(String code) {
        for (RejectReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reject reason code: " + code);
    }
}
