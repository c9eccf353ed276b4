package dev.onshelf.core.model;

/** A typed validation failure: a stable reason plus a human-readable detail. */
public final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public ValidationException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
