package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bodies are JSON only: uploads are refused without touching the disk; media types match in any case. */
@ExtendWith(RealServices.class)
@Timeout(60)
class RequestBodiesIT {
    private static final String BOUNDARY = "----onshelf-probe";

    @Test
    void multipartUploadsAreRefusedWithoutTouchingDisk(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        Path uploads = Path.of("file-uploads").toAbsolutePath();
        boolean existed = Files.exists(uploads);
        long before = existed ? count(uploads) : 0;
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "bodies-gateway", Map.of())) {
            // given a multipart upload of a file, as an attacker sends it
            String multipart = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"probe.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "x".repeat(2_000) + "\r\n--" + BOUNDARY + "--\r\n";
            for (String path : new String[] {"/v1/subscriptions", "/v1/admin/stores/UP1"}) {
                // when it is posted, twice (the attack left a file per request)
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = node.http().send(path.contains("admin") ? "PUT" : "POST", path, multipart,
                        "Content-Type", "multipart/form-data; boundary=" + BOUNDARY,
                        "Authorization", "Bearer " + TestNode.TOKEN);
                    // then it is refused
                    assertThat(r.statusCode()).as("%s", path).isBetween(400, 499);
                }
            }
            HttpResponse<String> sub = node.http().send("POST", "/v1/subscriptions", multipart,
                "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
            assertThat(sub.statusCode()).isEqualTo(415);
            assertThat(new JsonObject(sub.body()).getString("code")).isEqualTo("request:content_type.unsupported");
            HttpResponse<String> form = node.http().send("POST", "/v1/subscriptions", "a=b",
                "Content-Type", "application/x-www-form-urlencoded");
            assertThat(form.statusCode()).isEqualTo(415);
        }
        // and nothing was written to disk
        if (existed) {
            assertThat(count(uploads)).isEqualTo(before);
        } else {
            assertThat(uploads).doesNotExist();
        }
    }

    @Test
    void mediaTypesMatchInAnyCase(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "bodies-gateway-2", Map.of())) {
            HttpResponse<String> r = node.http().send("PUT", "/v1/admin/stores/UP2",
                "{\"name\": \"UP2\", \"lat\": 1, \"lon\": 1}", "Content-Type", "APPLICATION/JSON; Charset=UTF-8",
                "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            HttpResponse<String> text = node.http().send("PUT", "/v1/admin/stores/UP2",
                "{\"name\": \"UP2\", \"lat\": 1, \"lon\": 1}", "Content-Type", "text/plain",
                "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(text.statusCode()).isEqualTo(415);
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
