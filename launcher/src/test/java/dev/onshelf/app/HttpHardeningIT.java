package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The small findings of the security probe: a malformed escape is a 400 problem, staff tokens have a
 * capped lifetime and (when configured) the right issuer and audience, and there is no h2c.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class HttpHardeningIT {
    private static final String SECRET = "staff-secret-for-hardening-tests-0123456789";
    private static final long HOUR = 3_600_000L;

    @Test
    void aMalformedEscapeInThePathIsABadRequest(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "hardening-gateway", Map.of())) {
            for (String path : new String[] {"/v1/stores/%zz/products/4006381333931", "/v1/stores/%zz",
                "/v1/stores/ab%/products/4006381333931", "/v1/admin/stores/%zz", "/%zz"}) {
                // (raw: the JDK's clients refuse to send such a path)
                String answer = rawGet(node.port(), path);
                assertThat(answer).as(path).startsWith("HTTP/1.1 400 ").contains("application/problem+json")
                    .contains("\"code\":\"request:path.invalid\"");
            }
        }
    }

    @Test
    void staffTokensHaveACappedLifetimeAndTheConfiguredIssuerAndAudience(RedisProcess redis, MosquittoProcess mosquitto)
        throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "hardening-gateway-2",
            Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET, "ONSHELF_STAFF_JWT_ISSUER", "https://idp.example.com",
                "ONSHELF_STAFF_JWT_AUDIENCE", "onshelf-staff"))) {
            node.http().admin("/v1/admin/stores/HD1", "{\"name\": \"HD1\", \"lat\": 1, \"lon\": 1}");
            long now = System.currentTimeMillis();
            String iss = "https://idp.example.com";
            assertThat(staff(node, token(iss, "onshelf-staff", now, now + 8 * HOUR)).statusCode()).isEqualTo(200);
            // a century, with and without iat; a day old token valid for another hour (25 h in all)
            assertThat(code(staff(node, token(iss, "onshelf-staff", now, now + 100L * 365 * 24 * HOUR))))
                .isEqualTo("auth:token.lifetime");
            assertThat(code(staff(node, token(iss, "onshelf-staff", null, now + 100L * 365 * 24 * HOUR))))
                .isEqualTo("auth:token.lifetime");
            assertThat(code(staff(node, token(iss, "onshelf-staff", now - 24 * HOUR, now + HOUR))))
                .isEqualTo("auth:token.lifetime");
            assertThat(code(staff(node, token("https://evil.example.net", "onshelf-staff", now, now + HOUR))))
                .isEqualTo("auth:token.issuer");
            assertThat(code(staff(node, token(iss, "other-service", now, now + HOUR)))).isEqualTo("auth:token.audience");
            assertThat(code(staff(node, token(iss, null, now, now + HOUR)))).isEqualTo("auth:token.audience");
            // an unsigned token (alg none) with the right claims
            String unsigned = new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder().subject("clerk")
                .claim("stores", List.of("HD1")).issuer(iss).audience("onshelf-staff").issueTime(new Date(now))
                .expirationTime(new Date(now + HOUR)).build()).serialize();
            assertThat(code(staff(node, unsigned))).isEqualTo("auth:token.invalid");
        }
    }

    @Test
    void thereIsNoH2c(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "hardening-gateway-3", Map.of())) {
            // the JDK client asks for an h2c upgrade when told to speak HTTP/2 over plain http
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health/live"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    /** One GET over a plain socket, exactly as written; the whole answer (the server closes). */
    private static String rawGet(int port, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String token(String issuer, String audience, Long issuedAt, long expires) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("clerk").claim("stores", List.of("HD1"))
            .issuer(issuer).expirationTime(new Date(expires));
        if (audience != null) {
            claims.audience(audience);
        }
        if (issuedAt != null) {
            claims.issueTime(new Date(issuedAt));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static HttpResponse<String> staff(TestNode node, String token) {
        return node.http().send("GET", "/v1/staff/stores/HD1/devices", null, "Authorization", "Bearer " + token);
    }

    private static String code(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        return new JsonObject(r.body()).getString("code");
    }
}
