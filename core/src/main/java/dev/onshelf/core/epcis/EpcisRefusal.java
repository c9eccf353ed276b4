package dev.onshelf.core.epcis;

/**
 * Why an EPCIS event (or, with a status, a whole document) cannot be taken: a stable namespaced code
 * ({@code epcis:bizStep.unsupported}) and a specific detail. {@code status} is the HTTP status of a
 * document's refusal (400, 413); an event's refusal is one entry of the answer and has none (0).
 */
public final class EpcisRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public EpcisRefusal(String code, String detail) {
        this(0, code, detail);
    }

    public EpcisRefusal(int status, String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
