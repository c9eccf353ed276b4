package dev.onshelf.simulators.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A local process's CPU time (user + system, all threads) from {@code /proc/<pid>/stat}, in seconds. */
final class ProcCpu {
    private final long ticksPerSecond;

    private ProcCpu(long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** With the kernel's clock tick ({@code getconf CLK_TCK}; 100, Linux's usual value, if it cannot say). */
    static ProcCpu local() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return new ProcCpu(Long.parseLong(out));
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ProcCpu(100);
    }

    /** CPU seconds used so far by {@code pid}, or NaN when it is not a local, running process. */
    double seconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        // read as a stream: /proc files report size 0
        try (InputStream in = Files.newInputStream(Path.of("/proc", Long.toString(pid), "stat"))) {
            return seconds(new String(in.readAllBytes(), StandardCharsets.US_ASCII), ticksPerSecond);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * utime + stime (fields 14 and 15 of proc(5)'s stat line) in seconds. The command name (field 2)
     * is in parentheses and may hold spaces and parentheses itself, so fields are counted from the last ')'.
     */
    static double seconds(String statLine, long ticksPerSecond) {
        String[] after = statLine.substring(statLine.lastIndexOf(')') + 2).strip().split(" ");
        // after[0] is field 3 (state): utime is field 14, stime field 15
        return (Long.parseLong(after[11]) + Long.parseLong(after[12])) / (double) ticksPerSecond;
    }
}
