package dev.onshelf.api.http;

/** What the HTTP API needs to know: where to listen and the admin token. */
public record ApiSettings(String host, int port, String adminToken) {
}
