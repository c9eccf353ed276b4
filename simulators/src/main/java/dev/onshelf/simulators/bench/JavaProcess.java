package dev.onshelf.simulators.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a harness starts from the OnShelf jar (OnShelf itself, or the baseline API) and stops, or
 * kills: the bench and the crash torture test both start OnShelf this way.
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;

    private JavaProcess(Process process) {
        this.process = process;
    }

    public static JavaProcess start(Path jar, List<String> args, Map<String, String> env, Path log) throws IOException {
        return start(jar, List.of(), args, env, log);
    }

    /** As {@link #start(Path, List, Map, Path)}, with extra JVM options (e.g. a flight recording). */
    public static JavaProcess start(Path jar, List<String> jvmOptions, List<String> args, Map<String, String> env,
                                    Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms512m", "-Xmx2g"));
        if (args.get(0).equals("-jar")) {
            // OnShelf with the collector `./onshelf` gives it (DEFAULT_JAVA_OPTS there): ZGC. The bench forced
            // ParallelGC until 2026-11-29; it and G1 pause up to ~200 ms on these 2 cores, the freshness tail.
            // The bare route (-cp) keeps the JVM's own (G1)
            cmd.add("-XX:+UseZGC");
        }
        cmd.addAll(jvmOptions);
        String extra = System.getenv("ONSHELF_BENCH_JAVA_OPTS");  // e.g. a JFR recording, for profiling
        if (extra != null && !extra.isBlank() && args.get(0).equals("-jar")) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(args.get(0).equals("-jar") ? List.of("-jar", jar.toString()) : List.of("-cp", jar.toString()));
        cmd.addAll(args.subList(1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new JavaProcess(pb.start());
    }

    /** Waits until {@code url} answers 200, or fails with the process log's path. */
    public void awaitHttp(String url, Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1))
                    .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            TimeUnit.MILLISECONDS.sleep(100);  // polling a server that is starting; not awaiting our own work
        }
        throw new IllegalStateException(url + " not ready within " + timeout + "; see " + log);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Stops the flight recording {@code name} (started with {@code -XX:StartFlightRecording=name=...})
     * and writes it to {@code file}, through the JDK's {@code jcmd}.
     */
    public void stopFlightRecording(String name, Path file) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "JFR.stop", "name=" + name,
            "filename=" + file.toAbsolutePath()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !java.nio.file.Files.exists(file)) {
            throw new IllegalStateException("jcmd JFR.stop failed: " + out.strip());
        }
    }

    /** SIGKILL, and waits until the process is gone: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 15 s");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
