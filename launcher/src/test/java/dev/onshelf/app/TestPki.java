package dev.onshelf.app;

import dev.onshelf.gateway.mqtt.PemTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made by openssl. */
record TestPki(Path caCert, Path serverCert, Path serverKey) {

    static TestPki create(Path dir, String name) throws Exception {
        Path caKey = dir.resolve(name + "-ca.key");
        Path caCert = dir.resolve(name + "-ca.crt");
        Path key = dir.resolve(name + "-server.key");
        Path csr = dir.resolve(name + "-server.csr");
        Path cert = dir.resolve(name + "-server.crt");
        Path ext = Files.writeString(dir.resolve(name + "-san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(),
            "-days", "2", "-subj", "/CN=" + name + " test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
            "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
            "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return new TestPki(caCert, cert, key);
    }

    /** A client context that trusts this CA only. */
    SSLContext clientContext() {
        return PemTrust.context(caCert);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
