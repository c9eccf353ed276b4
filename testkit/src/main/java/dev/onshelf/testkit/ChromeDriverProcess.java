package dev.onshelf.testkit;

import java.util.List;

/**
 * A real {@code chromedriver} (Debian's chromium-driver) for browser tests, on a free port, local
 * connections only. It starts Debian's {@code /usr/bin/chromium} per session; nothing is downloaded.
 */
public final class ChromeDriverProcess extends ServiceProcess {

    public ChromeDriverProcess() {
        super("chromedriver");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command(String path) {
        return List.of(path, "--port=" + port, "--log-path=" + dir.resolve("chromedriver.log"));
    }
}
