package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Staff tokens signed RS256 by an identity provider, verified with its public key (PEM file). */
@ExtendWith(RealServices.class)
@Timeout(60)
class StaffRs256IT {

    @Test
    void rs256TokensAreVerifiedWithThePublicKey(RedisProcess redis, MosquittoProcess mosquitto, @TempDir Path dir)
        throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair idp = gen.generateKeyPair();
        KeyPair other = gen.generateKeyPair();
        Path pem = dir.resolve("staff.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(idp.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "rs256-gateway",
            Map.of("ONSHELF_STAFF_JWT_PUBLIC_KEY_FILE", pem.toString()))) {
            node.http().admin("/v1/admin/stores/RS1", "{\"name\": \"RS1\", \"lat\": 59.3, \"lon\": 18.0}");
            assertThat(devices(node, token(idp, "RS1")).statusCode()).isEqualTo(200);
            assertThat(devices(node, token(other, "RS1")).statusCode()).isEqualTo(401);
        }
    }

    private static String token(KeyPair key, String store) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("bob")
            .claim("stores", List.of(store)).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }

    private static HttpResponse<String> devices(TestNode node, String token) {
        return node.http().send("GET", "/v1/staff/stores/RS1/devices", null, "Authorization", "Bearer " + token);
    }
}
