package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packed product value both ways against a real redis-server: what apply.lua writes, StateCodec
 * reads; the Lua codec gives back what it was given; JSON values from before version 1 are read and
 * rewritten packed on the next write.
 */
@ExtendWith(RealServices.class)
class ProductCodecIT {
    private static final long T0 = 1_800_000_000_000L;
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisConnector redis;
    private static RedisAvailabilityStore store;
    private static RegistryStore registry;
    private static final AtomicLong NOW = new AtomicLong(T0);
    private StoreId s;

    @BeforeAll
    static void connect(RedisProcess server) {
        redis = new RedisConnector(server.url(), Duration.ofSeconds(5));
        store = new RedisAvailabilityStore(redis.connection().async(), NOW::get, ApplyParams.DEFAULT);
        registry = new RegistryStore(redis.connection().async());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void freshStore() throws Exception {
        s = new StoreId("codec-" + UUID.randomUUID().toString().substring(0, 8));
        await(registry.putStore(s, "Test", 51.5, -0.1));
        for (String mat : new String[] {"-mat", "-mat2"}) {
            await(registry.putDevice(s, new DeviceId(s + mat), DeviceKind.SHELF));
        }
        await(registry.putDevice(s, new DeviceId(s + "-till"), DeviceKind.FEED));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private byte[] raw() throws Exception {
        return await(RawOutputs.hget(redis.connection().async(), Keys.bucket(s, GTIN), Keys.field(GTIN)));
    }

    @Test
    void whatTheScriptPacksJavaReads() throws Exception {
        // given readings of two mats (one with unknown capacity), a count, a sale and a return
        DeviceId mat = new DeviceId(s + "-mat");
        DeviceId mat2 = new DeviceId(s + "-mat2");
        DeviceId till = new DeviceId(s + "-till");
        await(store.apply(new ShelfEvent(s, mat, "r1", 1, T0, List.of(new Reading(GTIN, 3, 12, "A07-B2-S3-P05")))));
        await(store.apply(new ShelfEvent(s, mat2, "r2", 1, T0 + 5, List.of(new Reading(GTIN, 1, -1, "ENDCAP \u00e9")))));
        await(store.apply(new FeedEvent(s, till, "c1", 1, T0 - 90_000, EventType.COUNT, GTIN, 7)));
        await(store.apply(new FeedEvent(s, till, "c2", 2, T0 + 200, EventType.SALE, GTIN, 9)));
        await(store.apply(new FeedEvent(s, till, "c3", 3, T0 + 300, EventType.RETURN, GTIN, 1)));
        // then the value is packed (version 2) and small
        byte[] raw = raw();
        assertThat(raw[0] & 0x80).isEqualTo(0x80);
        // flags 2, T 6, two slots 1 + 9 + 15 (a shape and its digits, 072305, in 3 bytes; "ENDCAP \u00e9" as
        // its 9 bytes of text),
        // book 1, its time 1, the count's 3 before it, two deltas 1 + 5
        assertThat(raw.length).isEqualTo(44);
        // and Java reads it back exactly
        ProductState state = await(store.read(s, GTIN)).state();
        assertThat(state.slots()).containsExactlyInAnyOrder(new Slot(mat.value(), "A07-B2-S3-P05", 3, 12, T0),
            new Slot(mat2.value(), "ENDCAP \u00e9", 1, -1, T0 + 5));
        assertThat(state.book()).isEqualTo(-1L);
        assertThat(state.countTs()).isEqualTo(T0 - 90_000);
        assertThat(state.bookTs()).isEqualTo(T0 + 300);
        assertThat(state.shelfLevel()).isEqualTo(ItemAvailability.InStock);
    }

    @Test
    void aStaffCountAndAThresholdAreKept() throws Exception {
        // given a reading, a low-stock override and a staff count of the whole shelf
        await(store.apply(new ShelfEvent(s, new DeviceId(s + "-mat"), "r1", 1, T0, List.of(new Reading(GTIN, 9, 12, "A")))));
        await(store.setLowStockUnits(s, GTIN, 5));
        await(store.apply(new ShelfCountEvent(s, new DeviceId(s + "-till"), "h1", 1, T0 + 10, GTIN, 4)));
        // then the staff count stands for the shelf, and the override holds (4 <= 5: low)
        ProductState state = await(store.read(s, GTIN)).state();
        assertThat(state.slots()).containsExactly(new Slot(StateCodec.STAFF, "shelf", 4, -1, T0 + 10));
        assertThat(state.shelfLevel()).isEqualTo(ItemAvailability.LimitedAvailability);
        // and clearing the override keeps the rest
        await(store.setLowStockUnits(s, GTIN, null));
        assertThat(await(store.read(s, GTIN)).state()).isEqualTo(state);
    }

    @Test
    void anOldJsonValueIsReadAndRewrittenPackedOnTheNextWrite() throws Exception {
        // given a value as versions before 1 wrote it (JSON), for a device the store's table does not know
        String json = "{\"s\":{\"" + s + "-mat|A1\":[5,12," + T0 + "]},\"b\":20,\"bt\":" + (T0 - 5) + ",\"ct\":"
            + (T0 - 5) + ",\"l\":[],\"lv\":\"I\",\"ph\":0}";
        await(redis.connection().async().hset(Keys.bucket(s, GTIN), Keys.field(GTIN), json));
        // then it is read as it is
        ProductState before = await(store.read(s, GTIN)).state();
        assertThat(before.slots()).containsExactly(new Slot(s + "-mat", "A1", 5, 12, T0));
        assertThat(before.book()).isEqualTo(20L);
        assertThat(before.shelfLevel()).isEqualTo(ItemAvailability.InStock);
        // when a sale is applied to it
        await(store.apply(new FeedEvent(s, new DeviceId(s + "-till"), "c1", 1, T0 + 1, EventType.SALE, GTIN, 2)));
        // then it is stored packed (version 2), with everything it had
        assertThat(raw()[0] & 0x80).isEqualTo(0x80);
        ProductState after = await(store.read(s, GTIN)).state();
        assertThat(after.slots()).isEqualTo(before.slots());
        assertThat(after.book()).isEqualTo(18L);
        assertThat(after.countTs()).isEqualTo(T0 - 5);
        assertThat(after.shelfLevel()).isEqualTo(ItemAvailability.InStock);
    }

    @Test
    void productsInTheOldBucketsAreMovedIntoTodaysAndStillRead() throws Exception {
        // given JSON values where versions before the packed value kept them (1,024 buckets)
        Gtin moved = null;
        for (int i = 0; moved == null; i++) {  // a product whose old bucket is not one of today's
            Gtin g = Gtin.fromBody(String.format("05012345%05d", i));
            if (Long.parseLong(g.value().substring(0, 13)) % Keys.OLD_BUCKETS >= Keys.BUCKETS) {
                moved = g;
            }
        }
        long n = Long.parseLong(moved.value().substring(0, 13));
        String old = "onshelf:{" + s.value() + "}:p:" + (n % Keys.OLD_BUCKETS);
        String json = "{\"s\":{},\"b\":20,\"bt\":" + T0 + ",\"ct\":" + T0 + ",\"l\":[]}";
        await(redis.connection().async().hset(old, moved.value(), json));
        // when the store is migrated (twice: it is idempotent)
        assertThat(await(store.migrateLayout(s))).isEqualTo(1L);
        assertThat(await(store.migrateLayout(s))).isEqualTo(0L);
        // then the product is read from today's bucket, and the old one is gone
        assertThat(await(store.read(s, moved)).state().book()).isEqualTo(20L);
        assertThat(await(redis.connection().async().exists(old))).isZero();
    }

    @Test
    void productsUnderTheirOldFourteenDigitFieldAreRenamedAndTheNewerLayoutWins() throws Exception {
        // given a product written by today's version, then put back under its 14-digit field (the old layout)
        await(store.apply(new FeedEvent(s, new DeviceId(s + "-till"), "c1", 1, T0, EventType.COUNT, GTIN, 20)));
        String bucket = Keys.bucket(s, GTIN);
        var async = redis.connection().async();
        assertThat(Keys.field(GTIN)).isEqualTo("4006381333931");
        await(async.eval("redis.call('HSET', KEYS[1], ARGV[2], redis.call('HGET', KEYS[1], ARGV[1])) "
            + "return redis.call('HDEL', KEYS[1], ARGV[1])", io.lettuce.core.ScriptOutputType.INTEGER,
            new String[] {bucket}, Keys.field(GTIN), GTIN.value()));
        // and another product under both fields (an old gateway wrote after a new one): today's value is kept
        Gtin both = Gtin.parse("96385074");
        await(store.apply(new FeedEvent(s, new DeviceId(s + "-till"), "c2", 2, T0, EventType.COUNT, both, 5)));
        await(async.hset(Keys.bucket(s, both), both.value(), "{\"s\":{},\"b\":99,\"l\":[]}"));
        // when the store is migrated (twice: it is idempotent)
        assertThat(await(store.migrateLayout(s))).isEqualTo(2L);
        assertThat(await(store.migrateLayout(s))).isZero();
        // then both read from their new field, and no 14-digit field is left
        assertThat(await(store.read(s, GTIN)).state().book()).isEqualTo(20L);
        assertThat(await(store.read(s, both)).state().book()).isEqualTo(5L);
        assertThat(await(async.hexists(bucket, GTIN.value()))).isFalse();
        assertThat(await(async.hexists(Keys.bucket(s, both), both.value()))).isFalse();
        assertThat(await(async.hget(Keys.bucket(s, both), "96385074"))).isNotNull();
    }

    @Test
    void anOldJsonValueIsStillAGapCandidate() throws Exception {
        // given an empty shelf stored as JSON
        String json = "{\"s\":{\"" + s + "-mat|A1\":[0,12," + T0 + "]},\"l\":[],\"lv\":\"O\",\"ph\":0}";
        await(redis.connection().async().hset(Keys.bucket(s, GTIN), Keys.field(GTIN), json));
        // then the gap scan finds it, and a packed low one beside it
        Gtin other = Gtin.parse("96385074");
        await(store.apply(new ShelfEvent(s, new DeviceId(s + "-mat"), "r1", 1, T0, List.of(new Reading(other, 1, 12, "B")))));
        assertThat(await(store.gapCandidates(s)).keySet()).containsExactlyInAnyOrder(GTIN.value(), other.value());
    }

    /** Random product tables through the Lua codec alone: unpack(pack(p)) is p, and Java reads the same. */
    @Test
    void theLuaCodecGivesBackWhatItWasGiven() throws Exception {
        // (the codec keys slots by their stored bytes: keyed and named turn "device|location" into them and back)
        String script = codecWithNames() + "\nlocal p = keyed(cjson.decode(ARGV[1]), KEYS[1])\nlocal packed = pack_product(p, KEYS[1])\n"
            + "return {packed, cjson.encode(named(unpack_product(packed, KEYS[1]), KEYS[1]))}";
        await(redis.connection().async().hset(Keys.devix(s), java.util.Map.of("d1", "1", "#1", "d1", "d2", "2", "#2", "d2")));
        SplittableRandom random = new SplittableRandom(11);
        StateCodec codec = new StateCodec();
        for (int i = 0; i < 300; i++) {
            String json = randomProduct(random);
            List<byte[]> reply = await(RawOutputs.eval(redis.connection().async(),
                io.lettuce.core.protocol.CommandType.EVAL, script, new String[] {Keys.devix(s)}, json));
            assertThat(reply.get(0)[0] & 0xc0).as("version 2's first byte").isIn(0x80, 0xc0);
            JsonNode given = JSON.readTree(json);
            JsonNode back = JSON.readTree(new String(reply.get(1), StandardCharsets.UTF_8));
            assertThat(normalised(back)).as("round trip of %s", json).isEqualTo(normalised(given));
            assertThat(sorted(codec.product(reply.get(0), devices()))).as("Java's reading of %s", json)
                .isEqualTo(sorted(codec.product(json)));
        }
    }

    /** Values version 1 wrote (its codec kept as a test resource) are read by today's Lua and Java alike. */
    @Test
    void versionOneValuesAreStillRead() throws Exception {
        String v1 = luaResource("/codec/product_codec_v1.lua");
        // version 1's pack, then today's codec (its locals shadow version 1's) reading what it packed
        String script = v1 + "\nlocal packed = pack_product(cjson.decode(ARGV[1]), KEYS[1])\n" + codecWithNames()
            + "\nreturn {packed, cjson.encode(named(unpack_product(packed, KEYS[1]), KEYS[1]))}";
        await(redis.connection().async().hset(Keys.devix(s), java.util.Map.of("d1", "1", "#1", "d1", "d2", "2", "#2", "d2")));
        SplittableRandom random = new SplittableRandom(17);
        StateCodec codec = new StateCodec();
        for (int i = 0; i < 200; i++) {
            String json = randomProduct(random);
            List<byte[]> reply = await(RawOutputs.eval(redis.connection().async(),
                io.lettuce.core.protocol.CommandType.EVAL, script, new String[] {Keys.devix(s)}, json));
            byte[] packed = reply.get(0);
            assertThat(packed[0]).as("a version 1 value").isEqualTo((byte) StateCodec.VERSION_1);
            assertThat(normalised(JSON.readTree(new String(reply.get(1), StandardCharsets.UTF_8))))
                .as("today's Lua reading of %s", json).isEqualTo(normalised(JSON.readTree(json)));
            assertThat(sorted(codec.product(packed, devices()))).as("Java's reading of %s", json)
                .isEqualTo(sorted(codec.product(json)));
        }
    }

    @Test
    void aVersionOneValueIsRewrittenAsVersionTwoOnItsNextWrite() throws Exception {
        // given a product as version 1 stored it (a reading at a location, a count)
        String v1 = luaResource("/codec/product_codec_v1.lua");
        DeviceId mat = new DeviceId(s + "-mat");
        await(redis.connection().async().hset(Keys.devix(s), java.util.Map.of(mat.value(), "1", "#1", mat.value())));
        String json = "{\"s\":{\"" + mat + "|A07-B2-S3-P05\":[5,12," + T0 + "]},\"b\":20,\"bt\":" + (T0 - 5)
            + ",\"ct\":" + (T0 - 5) + ",\"l\":[],\"lv\":\"I\"}";
        byte[] packed = await(RawOutputs.eval(redis.connection().async(), io.lettuce.core.protocol.CommandType.EVAL,
            v1 + "\nlocal v = pack_product(cjson.decode(ARGV[1]), KEYS[1]) redis.call('HSET', KEYS[2], ARGV[2], v) return v",
            new String[] {Keys.devix(s), Keys.bucket(s, GTIN)}, json, Keys.field(GTIN))).get(0);
        assertThat(raw()).isEqualTo(packed);
        assertThat(packed[0]).isEqualTo((byte) StateCodec.VERSION_1);
        ProductState before = await(store.read(s, GTIN)).state();
        assertThat(before.slots()).containsExactly(new Slot(mat.value(), "A07-B2-S3-P05", 5, 12, T0));
        // when a sale is applied to it
        await(store.apply(new FeedEvent(s, new DeviceId(s + "-till"), "c1", 1, T0 + 1, EventType.SALE, GTIN, 2)));
        // then it is version 2, shorter, with everything it had
        byte[] after = raw();
        assertThat(after[0] & 0x80).isEqualTo(0x80);
        assertThat(after.length).isLessThan(packed.length);
        ProductState state = await(store.read(s, GTIN)).state();
        assertThat(state.slots()).isEqualTo(before.slots());
        assertThat(state.book()).isEqualTo(18L);
        assertThat(state.countTs()).isEqualTo(T0 - 5);
        assertThat(state.bookTs()).isEqualTo(T0 + 1);
    }

    /** Locations of every kind the API accepts (up to 64 characters, no '|'), through the script and back. */
    @Test
    void everyKindOfLocationComesBackAsItWasGiven() throws Exception {
        DeviceId mat = new DeviceId(s + "-mat");
        String[] locations = {"", "A07-B2-S3-P05", "A7-B02-S003", "0", "00", "007", "12345678901234567890",
            "123456789", "1234567890", "123456789012345", "1234567890123456", "12345-67890-123456", "123456789-123456",
            "000000000-000000", "Gang 3 \u00e9tag\u00e8re 12", "\u68da3-\u4f4d05", "x\u0001y7", "tab\t3",
            "END01-P07", "Back room", "-5", "1.5", " 9 ", "50%-off 3", "%d%s 7 %%", "A" + "9".repeat(63)};
        List<Reading> readings = new ArrayList<>();
        List<Gtin> gtins = new ArrayList<>();
        for (int i = 0; i < locations.length; i++) {
            Gtin g = Gtin.fromBody(String.format("05012345%05d", i));
            gtins.add(g);
            readings.add(new Reading(g, i, 20, locations[i]));
        }
        await(store.apply(new ShelfEvent(s, mat, "r1", 1, T0, readings)));
        for (int i = 0; i < locations.length; i++) {
            assertThat(await(store.read(s, gtins.get(i))).state().slots()).as(locations[i])
                .containsExactly(new Slot(mat.value(), locations[i], i, 20, T0));
        }
        // and the script reads them back: a second reading at each location replaces the first (one slot each)
        await(store.apply(new ShelfEvent(s, mat, "r2", 2, T0 + 1, readings.stream()
            .map(r -> new Reading(r.gtin(), r.count() + 1, 20, r.location())).toList())));
        for (int i = 0; i < locations.length; i++) {
            assertThat(await(store.read(s, gtins.get(i))).state().slots()).as(locations[i])
                .containsExactly(new Slot(mat.value(), locations[i], i + 1, 20, T0 + 1));
        }
    }

    /**
     * Values the codec before session 8 wrote (slots named "device|location" in Lua, the same bytes
     * stored): today's script, which keys a slot by its stored bytes, finds each of them again, so a new
     * reading at the same place replaces the slot instead of adding a second one.
     */
    @Test
    void aSlotWrittenByTheFormerCodecIsTheSameSlotForTodaysScript() throws Exception {
        String former = luaResource("/codec/product_codec_v2_named.lua");
        DeviceId mat = new DeviceId(s + "-mat");
        String[] locations = {"", "A07-B2-S3-P05", "A7-B02-S003", "007", "12345678901234567890", "1234567890",
            "123456789012345", "1234567890123456", "Gang 3 \u00e9tag\u00e8re 12", "x\u0001y7", "Back room", "%d%s 7 %%"};
        for (int i = 0; i < locations.length; i++) {
            Gtin g = Gtin.fromBody(String.format("05012345%05d", i));
            // given a product the former codec packed: one slot of the mat at the location
            com.fasterxml.jackson.databind.node.ObjectNode product = JSON.createObjectNode();
            product.putObject("s").putArray(mat.value() + "|" + locations[i]).add(i).add(20).add(T0);
            product.putArray("l");
            String json = JSON.writeValueAsString(product);
            await(RawOutputs.eval(redis.connection().async(), io.lettuce.core.protocol.CommandType.EVAL,
                former + "\nlocal v = pack_product(cjson.decode(ARGV[1]), KEYS[1]) redis.call('HSET', KEYS[2], ARGV[2], v) return v",
                new String[] {Keys.devix(s), Keys.bucket(s, g)}, json, Keys.field(g)));
            assertThat(await(store.read(s, g)).state().slots()).as(locations[i])
                .containsExactly(new Slot(mat.value(), locations[i], i, 20, T0));
            // when today's script applies a newer reading of the mat at the same location
            await(store.apply(new ShelfEvent(s, mat, "r" + i, i + 1, T0 + 1, List.of(new Reading(g, i + 1, 20, locations[i])))));
            // then it replaced the slot
            assertThat(await(store.read(s, g)).state().slots()).as(locations[i])
                .containsExactly(new Slot(mat.value(), locations[i], i + 1, 20, T0 + 1));
        }
    }

    /** A Lua text kept as a test resource: a former version of the codec, or the tests' own helpers. */
    private static String luaResource(String path) throws java.io.IOException {
        try (var in = ProductCodecIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The store's device table (devices and location shapes) as an index -> name function. */
    private java.util.function.IntFunction<String> devices() throws Exception {
        java.util.Map<String, String> table = await(redis.connection().async().hgetall(Keys.devix(s)));
        return ix -> {
            String name = table.get("#" + ix);
            if (name == null) {
                throw new AssertionError("no device table entry " + ix);
            }
            return name;
        };
    }

    /** Slots in a fixed order (a Lua table has none). */
    private static ProductState sorted(ProductState p) {
        List<Slot> slots = new ArrayList<>(p.slots());
        slots.sort(java.util.Comparator.comparing(Slot::device).thenComparing(Slot::location));
        return new ProductState(slots, p.book(), p.bookTs(), p.countTs(), p.shelfLevel());
    }

    /** Location stems (a number follows): planogram codes, none, text with digits of its own, non-ASCII. */
    private static final String[] LOCATIONS = {"L", "", "A07-B2-S3-P", "END0", "\\u00e9tag\\u00e8re ", "x\\u0001",
        "12345678901-", "shelf ", "%d %"};

    private static String randomProduct(SplittableRandom r) {
        List<String> fields = new ArrayList<>();
        long t = T0 + r.nextLong(-100_000_000L, 100_000_000L);
        List<String> slots = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            slots.add("\"d" + (1 + r.nextInt(2)) + "|" + LOCATIONS[r.nextInt(LOCATIONS.length)] + r.nextInt(1000) + "\":["
                + r.nextInt(-3, 500) + ","
                + (r.nextBoolean() ? -1 : r.nextInt(1000)) + "," + (t - r.nextLong(0, 10_000_000L)) + "]");
        }
        fields.add("\"s\":{" + String.join(",", slots) + "}");
        if (r.nextBoolean()) {
            fields.add("\"b\":" + r.nextLong(-1_000_000, 1_000_000));
            fields.add("\"bt\":" + (t - r.nextLong(0, 1_000)));
        }
        if (r.nextBoolean()) {
            fields.add("\"ct\":" + (t - r.nextLong(0, 100_000_000L)));
        }
        if (r.nextInt(4) == 0) {
            fields.add("\"lf\":" + (t - r.nextLong(0, 1_000_000L)));
        }
        if (r.nextInt(4) == 0) {
            fields.add("\"t\":" + r.nextInt(0, 300));
        }
        if (r.nextInt(4) == 0) {
            fields.add("\"h\":[" + r.nextInt(-2, 50) + "," + (t - r.nextLong(0, 50_000)) + "]");
        }
        String[] levels = {"I", "L", "O"};
        if (r.nextInt(4) > 0) {
            fields.add("\"lv\":\"" + levels[r.nextInt(3)] + "\"");
        }
        if (r.nextBoolean()) {
            fields.add("\"ph\":1");
        }
        List<String> deltas = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            deltas.add("[" + (t - r.nextLong(0, 600_000)) + "," + r.nextInt(-20, 20) + "]");
        }
        fields.add("\"l\":[" + String.join(",", deltas) + "]");
        return "{" + String.join(",", fields) + "}";
    }

    /** Empty slot maps and delta lists as cjson gives them back ({} for both); "ph":0 as absent. */
    private static JsonNode normalised(JsonNode p) {
        com.fasterxml.jackson.databind.node.ObjectNode o = ((com.fasterxml.jackson.databind.node.ObjectNode) p).deepCopy();
        for (String f : new String[] {"s", "l"}) {
            if (o.path(f).isEmpty()) {
                o.remove(f);
            }
        }
        if (o.path("ph").asInt(0) == 0) {
            o.remove("ph");
        }
        return o;
    }

    /** The product codec (product_codec.lua, included by apply.lua and threshold.lua). */
    static String codecText() {
        return ProductCodecTest.codec();
    }

    /** Today's codec with the tests' way back from slot keys to "device|location" ({@code named}). */
    private static String codecWithNames() throws java.io.IOException {
        return codecText() + "\n" + luaResource("/codec/named.lua");
    }
}
