package dev.onshelf.api.staff;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.api.http.ProblemException;
import io.vertx.ext.web.RoutingContext;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Staff authentication: {@code Authorization: Bearer <JWT>} signed HS256 with the shared secret or
 * RS256 with the configured public key; the claim {@code stores} (array) scopes access. The token must
 * also meet the {@link StaffTokenPolicy}: a capped lifetime, and the configured issuer and audience.
 * 401 without a valid token, 403 for a store outside the claim.
 */
public final class StaffAuth {
    static final String STORES = "staff.stores";
    public static final String SUBJECT = "staff.subject";
    private final JWSVerifier verifier;
    private final StaffTokenPolicy policy;

    private StaffAuth(JWSVerifier verifier, StaffTokenPolicy policy) {
        this.verifier = verifier;
        this.policy = policy;
    }

    /** From a secret (HS256, at least 32 bytes) and/or a PEM public key (RS256); null when neither is set. */
    public static StaffAuth of(String secret, String publicKeyPem) {
        return of(secret, publicKeyPem, StaffTokenPolicy.DEFAULT);
    }

    /** As {@link #of(String, String)}, with what the tokens must carry beyond their signature. */
    public static StaffAuth of(String secret, String publicKeyPem, StaffTokenPolicy policy) {
        try {
            if (publicKeyPem != null && !publicKeyPem.isBlank()) {
                String body = publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
                return new StaffAuth(new RSASSAVerifier(key), policy);
            }
            if (secret != null && !secret.isBlank()) {
                return new StaffAuth(new MACVerifier(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)), policy);
            }
            return null;
        } catch (JOSEException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("staff JWT key is not usable: " + e.getMessage(), e);
        }
    }

    /** Route handler: verifies the token, then that the path's store is in its {@code stores} claim. */
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw unauthorized("auth:token.missing", "this endpoint needs Authorization: Bearer <staff JWT>");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(header.substring(7).trim());
            if (!jwt.verify(verifier)) {
                throw unauthorized("auth:token.invalid", "the token's signature is not valid");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw unauthorized("auth:token.invalid", "the token is not a valid signed JWT");
        }
        Date now = new Date();
        if (claims.getExpirationTime() != null && claims.getExpirationTime().before(now)) {
            throw unauthorized("auth:token.expired", "the token has expired");
        }
        if (claims.getExpirationTime() == null) {
            throw unauthorized("auth:token.no_expiry", "the token must carry an expiry (exp)");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().after(now)) {
            throw unauthorized("auth:token.not_yet_valid", "the token is not valid yet");
        }
        checkPolicy(claims, now);
        List<String> stores;
        try {
            stores = claims.getStringListClaim("stores");
        } catch (ParseException e) {
            stores = null;
        }
        if (stores == null) {
            throw unauthorized("auth:token.no_stores", claims.getClaim("stores") == null
                ? "the token has no 'stores' claim" : "the token's 'stores' claim must be an array of store codes");
        }
        String store = ctx.pathParam("store");
        if (!stores.contains(store)) {
            throw new ProblemException(403, "auth:store.forbidden", "Forbidden",
                "this token is not scoped to store " + store);
        }
        ctx.put(STORES, stores);
        ctx.put(SUBJECT, claims.getSubject() == null ? "staff" : claims.getSubject());
        ctx.next();
    }

    /** Lifetime cap (a stolen long-lived token stays useful for no longer), then iss and aud if configured. */
    private void checkPolicy(JWTClaimsSet claims, Date now) {
        Date from = claims.getIssueTime() != null ? claims.getIssueTime()
            : claims.getNotBeforeTime() != null ? claims.getNotBeforeTime() : now;
        long lifetime = claims.getExpirationTime().getTime() - Math.min(from.getTime(), now.getTime());
        if (lifetime > policy.maxLifetime().toMillis()) {
            throw unauthorized("auth:token.lifetime", "the token lives longer than the " + policy.maxLifetime().toHours()
                + " h allowed (ONSHELF_STAFF_JWT_MAX_LIFETIME_HOURS)");
        }
        if (!policy.issuer().isEmpty() && !policy.issuer().equals(claims.getIssuer())) {
            throw unauthorized("auth:token.issuer", "the token's issuer (iss) is not the one this server trusts");
        }
        if (!policy.audience().isEmpty() && (claims.getAudience() == null
            || !claims.getAudience().contains(policy.audience()))) {
            throw unauthorized("auth:token.audience", "the token's audience (aud) does not include this server");
        }
    }

    private static ProblemException unauthorized(String code, String detail) {
        return new ProblemException(401, code, "Unauthorized", detail);
    }
}
