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
        return new Topic(new StoreId(parts[0]), kind, new DeviceId(parts[2]));
    }
}
