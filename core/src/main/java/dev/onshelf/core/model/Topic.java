package dev.onshelf.core.model;

/** A parsed v1 topic: {@code onshelf/v1/stores/{store}/{kind}/{device}}. */
public record Topic(StoreId store, TopicKind kind, DeviceId device) {
    public static final String PREFIX = "onshelf/v1/stores/";

    public String render() {
        return PREFIX + store.value() + "/" + kind.segment() + "/" + device.value();
    }

    public static String alerts(StoreId store) {
        return PREFIX + store.value() + "/alerts";
    }

    /** Parses a topic; anything but the three device families is {@link RejectReason#TOPIC_UNKNOWN}. */
    public static Topic parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            throw new ValidationException(RejectReason.TOPIC_UNKNOWN, "topic is not under " + PREFIX);
        }
        String[] parts = topic.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3) {
            throw new ValidationException(RejectReason.TOPIC_UNKNOWN,
                "topic must be " + PREFIX + "{store}/{shelf|feed|status}/{device}");
        }
        TopicKind kind = switch (parts[1]) {
            case "shelf" -> TopicKind.SHELF;
            case "feed" -> TopicKind.FEED;
            case "status" -> TopicKind.STATUS;
            default -> throw new ValidationException(RejectReason.TOPIC_UNKNOWN,
                "unknown topic family '" + parts[1] + "'");
        };
        return new Topic(new StoreId(parts[0]), kind, DeviceId.parse(parts[2]));
    }

    /**
     * Where OnShelf tells a device why its message was refused (not retained, QoS 1):
     * {@code onshelf/v1/stores/{store}/devices/{device}/errors}. Only that device may read it (the ACL).
     */
    public static String errors(StoreId store, DeviceId device) {
        return PREFIX + store.value() + "/devices/" + device.value() + "/errors";
    }

    /**
     * The store and device a topic names, if it is a device topic whose store and device ids are well
     * formed (whatever the rest of the message); null otherwise.
     */
    public static Topic lenient(String topic) {
        try {
            return parse(topic);
        } catch (ValidationException e) {
            return null;
        }
    }

    /**
     * The store a refused message's topic names, if any can be told: a v1 device topic's store segment,
     * or the {@code http:<store>/<source>} of a write made over HTTP. Null when none can be.
     */
    public static StoreId storeOf(String topic) {
        String rest;
        if (topic == null) {
            return null;
        } else if (topic.startsWith(PREFIX)) {
            rest = topic.substring(PREFIX.length());
        } else if (topic.startsWith("http:")) {
            rest = topic.substring("http:".length());
        } else {
            return null;
        }
        int slash = rest.indexOf('/');
        try {
            return new StoreId(slash < 0 ? rest : rest.substring(0, slash));
        } catch (ValidationException e) {
            return null;
        }
    }
}
