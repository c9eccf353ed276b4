package dev.onshelf.core.model;

/** The v1 topic families a store's devices publish on. */
public enum TopicKind {
    SHELF("shelf"), FEED("feed"), STATUS("status");

    private final String segment;

    TopicKind(String segment) {
        this.segment = segment;
    }

    public String segment() {
        return segment;
    }
}
