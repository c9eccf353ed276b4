package dev.onshelf.api.http;

/**
 * An RFC 9457 problem to answer with: a status, a stable namespaced {@code code} (also the last part
 * of the {@code type} URI), a short title and a specific detail.
 */
public final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String title;
    /** RFC 9457 extension members (e.g. what is salable), in order; usually none. */
    private final java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();

    public ProblemException(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** Adds an extension member to the problem's body (RFC 9457 section 3.2). */
    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public java.util.Map<String, Object> extensions() {
        return java.util.Collections.unmodifiableMap(extensions);
    }

    public String detail() {
        return getMessage();
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, code, "Bad request", detail);
    }

    /** The one answer for a store that is not registered, wherever it is named. */
    public static ProblemException unknownStore(dev.onshelf.core.model.StoreId store) {
        return new ProblemException(404, "registry:store.unknown", "Unknown store", "store " + store + " is not registered");
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "service:unavailable", "Service unavailable", detail);
    }
}
