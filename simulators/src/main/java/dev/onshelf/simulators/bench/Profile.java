package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JFR recording of OnShelf, summarised: bench-results/{stamp}-profile.txt (the hottest frames per
 * phase, read with {@code less}), the first few of them in the run's JSON, and the recording itself
 * beside them ({@code jfr print --events jdk.ExecutionSample}, or JDK Mission Control, for more).
 */
final class Profile {
    private static final int LINES = 25;
    private static final int IN_JSON = 5;

    private Profile() {
    }

    static Path summarise(Path recording, List<JfrSummary.Window> windows, BenchReport report, Path repo)
        throws Exception {
        List<JfrSummary.Sample> samples = JfrSummary.read(recording);
        Path text = repo.resolve("bench-results").resolve(report.stamp() + "-profile.txt");
        Files.writeString(text, JfrSummary.render("JFR profile of OnShelf (settings=default: execution samples every "
            + "20 ms, at most a few threads each time), bench run " + report.stamp() + "; recording "
            + repo.relativize(recording), windows, samples, LINES));
        ObjectNode node = report.section("profile");
        node.put("file", repo.relativize(text).toString()).put("recording", repo.relativize(recording).toString());
        ObjectNode phases = node.putObject("phases");
        for (JfrSummary.Window w : windows) {
            List<JfrSummary.Sample> in = JfrSummary.within(samples, w);
            ObjectNode phase = phases.putObject(w.name().split(" ")[0].toLowerCase(java.util.Locale.ROOT));
            phase.put("samples", in.size());
            top(phase.putArray("topFrames"), JfrSummary.top(in, JfrSummary::topFrame, IN_JSON), in.size());
            top(phase.putArray("topOnShelfFrames"), JfrSummary.top(in, JfrSummary::firstOwnFrame, IN_JSON), in.size());
        }
        return text;
    }

    private static void top(ArrayNode into, List<JfrSummary.Count> counts, int total) {
        counts.forEach(c -> into.addObject().put("frame", c.name()).put("samples", c.samples())
            .put("pct", Math.round(1000.0 * c.samples() / Math.max(1, total)) / 10.0));
    }
}
