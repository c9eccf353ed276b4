package dev.onshelf.simulators.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest frames of a JFR recording, phase by phase: JDK 17's {@code jfr} tool has no
 * {@code view hot-methods} (JDK 21), so the {@code jdk.ExecutionSample} events are aggregated here by
 * thread (digits folded: one line per pool), by the frame on top of the stack (self time) and by the
 * first OnShelf frame on the stack (which of our code, including what it calls, the time is spent under).
 */
final class JfrSummary {
    static final String OUR_CODE = "dev.onshelf.";

    /** One execution sample: when, on which thread, and its stack as "Class.method", top first. */
    record Sample(Instant time, String thread, List<String> frames) {
    }

    /** A phase of the run the samples are split by. */
    record Window(String name, Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    /** A name and how many samples it had. */
    record Count(String name, long samples) {
    }

    private JfrSummary() {
    }

    /** Every execution sample of the recording (stacks truncated by JFR at its depth, 64 by default). */
    static List<Sample> read(Path recording) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                RecordedThread thread = e.getThread("sampledThread");
                RecordedStackTrace stack = e.getStackTrace();
                List<String> frames = new ArrayList<>(stack.getFrames().size());
                for (RecordedFrame f : stack.getFrames()) {
                    frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
                out.add(new Sample(e.getStartTime(), thread == null ? "?" : threadName(thread), frames));
            }
        }
        return out;
    }

    private static String threadName(RecordedThread t) {
        return t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    }

    /** Thread names with digit runs folded to '#': one line per pool ("vert.x-eventloop-thread-#"). */
    static String pool(String thread) {
        return thread.replaceAll("[0-9]+", "#");
    }

    /** The first frame of our own code on the stack, or "(no OnShelf frame)". */
    static String firstOwnFrame(Sample s) {
        return s.frames().stream().filter(f -> f.startsWith(OUR_CODE)).findFirst().orElse("(no OnShelf frame)");
    }

    static String topFrame(Sample s) {
        return s.frames().isEmpty() ? "(empty stack)" : s.frames().get(0);
    }

    /** The {@code n} keys with most samples, most first (ties by name). */
    static List<Count> top(List<Sample> samples, Function<Sample, String> key, int n) {
        Map<String, Long> counts = new HashMap<>();
        samples.forEach(s -> counts.merge(key.apply(s), 1L, Long::sum));
        return counts.entrySet().stream()
            .sorted(Comparator.comparingLong((Map.Entry<String, Long> e) -> e.getValue()).reversed()
                .thenComparing(Map.Entry::getKey))
            .limit(n).map(e -> new Count(e.getKey(), e.getValue())).toList();
    }

    static List<Sample> within(List<Sample> samples, Window w) {
        return samples.stream().filter(s -> w.contains(s.time())).toList();
    }

    /** The text of bench-results/{stamp}-profile.txt: per window, samples by pool, by top frame, by our frame. */
    static String render(String title, List<Window> windows, List<Sample> samples, int n) {
        StringBuilder t = new StringBuilder(title).append("\n");
        for (Window w : windows) {
            List<Sample> in = within(samples, w);
            t.append(String.format(Locale.ROOT, "%n== %s (%s .. %s): %,d execution samples ==%n", w.name(), w.from(),
                w.to(), in.size()));
            section(t, "by thread pool", top(in, s -> pool(s.thread()), n), in.size());
            section(t, "hottest frames (self: the method on top of the stack)", top(in, JfrSummary::topFrame, n),
                in.size());
            section(t, "hottest OnShelf frames (the first " + OUR_CODE + " frame on the stack: our code and what "
                + "it calls)", top(in, JfrSummary::firstOwnFrame, n), in.size());
        }
        return t.toString();
    }

    private static void section(StringBuilder t, String heading, List<Count> counts, long total) {
        t.append(heading).append(":\n");
        for (Count c : counts) {
            t.append(String.format(Locale.ROOT, "  %6d  %5.1f%%  %s%n", c.samples(), 100.0 * c.samples() / total,
                c.name()));
        }
    }
}
