package dev.onshelf.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The device contract as a document: the AsyncAPI 3.0 description of every MQTT topic and payload
 * OnShelf consumes and publishes, served as written at {@code /asyncapi.yaml}.
 */
public final class AsyncApiDocument {
    public static final String RESOURCE = "/onshelf/asyncapi.yaml";

    private AsyncApiDocument() {
    }

    public static String text() {
        try (InputStream in = AsyncApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
