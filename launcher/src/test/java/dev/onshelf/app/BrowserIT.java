package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.testkit.ChromeDriverProcess;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both pages in a real headless Chromium (Debian's chromium + chromedriver) against the real stack:
 * a shopper finds a product by name and sees its answer, another store nearby that has it, and checks a
 * shopping list; a shelf reading published over MQTT changes the open page without a reload; a count
 * from the staff app changes the shopper's open page too. Screenshots go to target/screenshots/.
 */
@ExtendWith(RealServices.class)
@Timeout(180)
class BrowserIT {
    private static final String STORE = "B-browser";
    private static final String SECRET = "browser-it-staff-secret-0123456789abcdef";
    private static final Path SHOTS = Path.of("target", "screenshots");

    @Test
    void shopperAndStaffPagesFollowTheShelf(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        String gtin = Gtin.fromBody("0501234567890").value();
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "browser-gateway",
                Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET));
             ChromeDriverProcess driver = (ChromeDriverProcess) new ChromeDriverProcess().start()) {
            Http http = node.http();
            String base = "http://127.0.0.1:" + node.port();
            // given a store with a shelf mat, a named product, and a reading of 5 units
            http.admin("/v1/admin/stores/" + STORE, "{\"name\": \"Browser Street\", \"lat\": 48.85, \"lon\": 2.35}");
            http.admin("/v1/admin/stores/" + STORE + "/devices/b-mat", "{\"kind\": \"shelf\"}");
            http.admin("/v1/admin/products/" + gtin, "{\"name\": \"Zebrafruit Smoothie\", \"brand\": \"Stripe & Co\", "
                + "\"size\": \"750 ml\"}");
            shelf(mosquitto, gtin, 1, 5);
            // and a second store 1.3 km away with it on the shelf
            http.admin("/v1/admin/stores/B-second", "{\"name\": \"Second Street\", \"lat\": 48.86, \"lon\": 2.36}");
            http.admin("/v1/admin/stores/B-second/devices/b2-mat", "{\"kind\": \"shelf\"}");
            MosquittoPub.publish(mosquitto.port(), "onshelf/v1/stores/B-second/shelf/b2-mat", "{\"eventId\": \"s1\", "
                + "\"seq\": 1, \"ts\": \"" + Instant.now() + "\", \"gtin\": \"" + gtin + "\", \"count\": 9}");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                Integer.valueOf(5).equals(http.getJson("/v1/stores/" + STORE + "/products/" + gtin).getInteger("shelfCount"))
                    && Integer.valueOf(9).equals(http.getJson("/v1/stores/B-second/products/" + gtin).getInteger("shelfCount")));

            try (Browser shopper = new Browser(driver.url(), Files.createTempDirectory("chromium-shopper"), 360, 800);
                 Browser staff = new Browser(driver.url(), Files.createTempDirectory("chromium-staff"), 360, 800)) {
                try {
                    walkThrough(http, mosquitto, base, gtin, shopper, staff);
                } catch (AssertionError | RuntimeException e) {
                    shopper.screenshot(SHOTS.resolve("failure-shopper.png"));
                    staff.screenshot(SHOTS.resolve("failure-staff.png"));
                    throw new AssertionError("shopper page:\n" + shopper.source() + "\nstaff app:\n" + staff.source(), e);
                }
            }
        }
    }

    private static void walkThrough(Http http, MosquittoProcess mosquitto, String base, String gtin, Browser shopper,
                                    Browser staff) throws Exception {
        {
            {
                // when a shopper picks the store and searches by name
                shopper.open(base + "/");
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.find("#store option[value='" + STORE + "']") != null);
                shopper.click("#store option[value='" + STORE + "']");
                shopper.type("#q", "zebra smoo" + Browser.ENTER);
                // then the answer is shown in words, with how sure and how recent
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text(".verdict").startsWith("On the shelf"));
                assertThat(shopper.text(".product")).isEqualTo("Zebrafruit Smoothie · Stripe & Co · 750 ml");
                assertThat(shopper.text(".verdict")).isEqualTo("On the shelf at Browser Street");
                assertThat(shopper.text(".certainty")).startsWith("Sure: a shelf sensor looked");
                assertThat(shopper.text("#notify")).as("no 'tell me when it is back' while on the shelf").isEmpty();
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text("#nearby").startsWith("Second Street ("));
                assertThat(shopper.text("#nearby")).endsWith("km): on the shelf");
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text("#live").startsWith("Live"));
                assertThat(((Number) shopper.script("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at 360 px").isLessThanOrEqualTo(360);
                // and the shopping list is checked in one go
                shopper.click("#add");
                shopper.click("#check");
                await().atMost(Duration.ofSeconds(15)).until(() ->
                    shopper.text("#list-note").equals("1 of 1 on the shelf at Browser Street."));
                assertThat(shopper.text("#list-items")).contains("Zebrafruit Smoothie", "on the shelf");
                shopper.screenshot(SHOTS.resolve("shopper.png"));

                // when the shelf mat reports it empty, the open page changes without a reload
                shelf(mosquitto, gtin, 2, 0);
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text(".verdict").startsWith("Not on the shelf"));
                assertThat(shopper.text("#notify")).startsWith("Tell me when it is back");
                shopper.screenshot(SHOTS.resolve("shopper-live-empty.png"));

                // when staff sign in, the empty shelf is on their gap list with its name
                staff.open(base + "/staff/");
                await().atMost(Duration.ofSeconds(15)).until(() -> staff.find("#token") != null);
                staff.type("#token", Main.demoStaffToken(SECRET, List.of(STORE)) + Browser.ENTER);
                await().atMost(Duration.ofSeconds(15)).until(() -> staff.text("#gaps-list").contains("Zebrafruit Smoothie"));
                assertThat(staff.text("#gaps-list")).contains("Empty shelf");
                staff.screenshot(SHOTS.resolve("staff-gaps.png"));
                // the app is installable: its service worker runs and has the shell in its cache
                assertThat(staff.scriptAsync("navigator.serviceWorker.ready.then(() => caches.open('onshelf-staff-v1'))"
                    + ".then((c) => c.keys()).then((k) => done(k.map((r) => new URL(r.url).pathname)))"))
                    .asString().contains("/staff/", "/staff/staff.js", "/common.js");
                // and it lists the store's devices
                staff.click("[data-tab=devices]");
                await().atMost(Duration.ofSeconds(15)).until(() -> staff.text("#devices-list").contains("b-mat shelf online"));
                // and they scan (type) the GTIN, and count 7 on the shelf
                staff.click("[data-tab=scan]");
                staff.type("#code", gtin + Browser.ENTER);
                await().atMost(Duration.ofSeconds(15)).until(() -> "0".equals(staff.text("#shelf-count")));
                staff.clear("#shelf-qty");
                staff.type("#shelf-qty", "7");
                staff.click("#count-form button[type=submit]");
                await().atMost(Duration.ofSeconds(15)).until(() -> staff.text("#count-result").startsWith("Saved"));
                // (the change stream may be re-rendering the facts at this moment: await, do not sample once)
                await().atMost(Duration.ofSeconds(15)).until(() -> "7".equals(staff.text("#shelf-count")));
                staff.screenshot(SHOTS.resolve("staff-count.png"));

                // then the shopper's open page follows
                await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text(".verdict").startsWith("On the shelf"));
                assertThat(http.getJson("/v1/stores/" + STORE + "/products/" + gtin).getInteger("shelfCount")).isEqualTo(7);
            }
        }
    }

    private static void shelf(MosquittoProcess mosquitto, String gtin, int seq, int count) throws Exception {
        MosquittoPub.publish(mosquitto.port(), "onshelf/v1/stores/" + STORE + "/shelf/b-mat",
            "{\"eventId\": \"b" + seq + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \""
                + gtin + "\", \"count\": " + count + ", \"capacity\": 12}");
    }
}
