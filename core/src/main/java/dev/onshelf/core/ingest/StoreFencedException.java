package dev.onshelf.core.ingest;

/**
 * A batch refused, with nothing applied, because the store is not a server process the caller knows
 * (see {@link EventSink#applyAll(java.util.List, String)}): Redis restarted, or a replica took over,
 * since the caller's last writes, which it may have lost. Not an outage: the caller learns the new
 * process and applies again, in order, what it had applied and not yet acknowledged, then the rest.
 */
public final class StoreFencedException extends RuntimeException {
    /** A process no Redis has: a call fenced with it is always refused, and the refusal names the process. */
    public static final String NO_PROCESS = "-";

    private final String process;

    public StoreFencedException(String process) {
        super("the store is a server process not seen before: " + process, null, false, false);
        this.process = process;
    }

    /** The store's server process now (Redis's run_id). */
    public String process() {
        return process;
    }
}
