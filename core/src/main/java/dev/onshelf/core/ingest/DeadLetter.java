package dev.onshelf.core.ingest;

import dev.onshelf.core.model.RejectReason;
import java.nio.charset.StandardCharsets;

/** A refused message as kept for operators: topic, reason, detail, when, and the payload (truncated). */
public record DeadLetter(String topic, RejectReason reason, String detail, long receivedAt, String payload) {
    public static final int MAX_PAYLOAD_CHARS = 1024;

    public static DeadLetter of(String topic, RejectReason reason, String detail, long receivedAt, byte[] payload) {
        int n = Math.min(payload.length, MAX_PAYLOAD_CHARS);
        String text = new String(payload, 0, n, StandardCharsets.UTF_8);
        if (payload.length > n) {
            text = text + "...(" + payload.length + " bytes)";
        }
        return new DeadLetter(topic, reason, detail, receivedAt, text);
    }
}
