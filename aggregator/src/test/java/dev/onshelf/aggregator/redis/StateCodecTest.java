package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * StateCodec on values built byte by byte from the layout in {@link Keys} (ProductCodecIT checks it
 * against what the Lua codec writes): version 2, version 1, and the edges of both.
 */
class StateCodecTest {
    private static final StateCodec CODEC = new StateCodec();
    /** The device table: 1 and 2 devices, 3 and 4 location shapes. */
    private static final IntFunction<String> TABLE = ix -> switch (ix) {
        case 1 -> "mat-1";
        case 2 -> "till";
        case 3 -> "@A\u0002-B\u0001-S\u0001-P\u0002";
        case 4 -> "@\u00e9tag\u00e8re \u0003 %d";
        default -> throw new StateCodec.UnknownDevice(ix);
    };

    @Test
    void versionTwoWithOneShapedSlotABookAndACount() {
        long t = 1_800_000_000_500L;
        byte[] raw = new Bytes().raw(0x80 + 1 + 8 + 16 + 32)  // InStock, b, bt, ct; one slot
            .uint(t).uint(1).uint(3 * 2 + 1).uint(31205).sint(12).sint(20).uint(0)
            .sint(30).uint(400).sint(0)  // book 30 at t - 400, the count at the same time
            .done();
        ProductState p = CODEC.product(raw, TABLE);
        assertThat(p.slots()).containsExactly(new Slot("mat-1", "A03-B1-S2-P05", 12, 20, t));
        assertThat(p.book()).isEqualTo(30L);
        assertThat(p.bookTs()).isEqualTo(t - 400);
        assertThat(p.countTs()).isEqualTo(t - 400);
        assertThat(p.shelfLevel()).isEqualTo(ItemAvailability.InStock);
    }

    @Test
    void versionTwoEdges() {
        // a timestamp past 2^53, negative counts and book, a count after the book's time, no capacity,
        // a text location, a shape with non-ASCII text and '%', zero slots of their own under a staff count
        long t = (1L << 60) + 7;
        byte[] raw = new Bytes().raw(0x80 + 0x40 + 3 + 4 + 8 + 16 + 32)  // OutOfStock, ph, b, bt, ct; more
            .uint((64 + 128 + 256 + 1024) / 64)  // deltas, lf, t, two slots
            .uint(t).uint(2)
            .uint(2).uint("\u68da 3".getBytes(StandardCharsets.UTF_8).length * 2).text("\u68da 3").sint(-4).sint(-1).uint(9)
            .uint(1).uint(4 * 2 + 1).uint(7).sint(0).sint(6).uint(0)
            .sint(-250).uint(1_000).sint(-30)  // book -250 at t - 1000, the count 30 ms after it
            .uint(5_000).uint(3)  // lf, t: for the script alone
            .uint(1).sint(100).sint(-1)  // one delta (for the script alone)
            .done();
        ProductState p = CODEC.product(raw, TABLE);
        assertThat(p.slots()).containsExactlyInAnyOrder(new Slot("till", "\u68da 3", -4, -1, t - 9),
            new Slot("mat-1", "\u00e9tag\u00e8re 007 %d", 0, 6, t));
        assertThat(p.book()).isEqualTo(-250L);
        assertThat(p.bookTs()).isEqualTo(t - 1_000);
        assertThat(p.countTs()).isEqualTo(t - 1_000 + 30);
        assertThat(p.shelfLevel()).isEqualTo(ItemAvailability.OutOfStock);
    }

    @Test
    void versionTwoStaffCountAndNoSlotsNoBook() {
        long t = 1_800_000_000_000L;
        byte[] staff = new Bytes().raw(0x80 + 0x40 + 2).uint(512 / 64).uint(t).uint(1).uint(0).sint(1)
            .sint(-1).uint(50).sint(3).uint(0).done();
        assertThat(CODEC.product(staff, TABLE).slots()).containsExactly(new Slot(StateCodec.STAFF, "shelf", 3, -1, t));
        assertThat(CODEC.product(staff, TABLE).shelfLevel()).isEqualTo(ItemAvailability.LimitedAvailability);
        byte[] empty = new Bytes().raw(0x80 + 0x40).uint(1024 / 64).uint(0).uint(0).done();
        assertThat(CODEC.product(empty, TABLE)).isEqualTo(new ProductState(List.of(), null, 0, 0, null));
    }

    @Test
    void versionOneIsStillRead() {
        long t = 1_800_000_000_500L;
        byte[] raw = new Bytes().raw(1).uint(1 + 8 + 16 + 32).uint(t).uint(1)
            .uint(1).uint(13).text("A03-B1-S2-P05").sint(-2).sint(20).uint(5)
            .sint(30).uint(400).uint(900).uint(0).done();
        ProductState p = CODEC.product(raw, TABLE);
        assertThat(p.slots()).containsExactly(new Slot("mat-1", "A03-B1-S2-P05", -2, 20, t - 5));
        assertThat(p.book()).isEqualTo(30L);
        assertThat(p.bookTs()).isEqualTo(t - 400);
        assertThat(p.countTs()).isEqualTo(t - 900);
    }

    @Test
    void unknownIndexesAndVersionsAreNotGuessed() {
        byte[] unknown = new Bytes().raw(0x80).uint(1).uint(9).uint(0).sint(0).sint(0).uint(0).done();
        assertThatThrownBy(() -> CODEC.product(unknown, TABLE)).isInstanceOf(StateCodec.UnknownDevice.class);
        byte[] notAShape = new Bytes().raw(0x80).uint(1).uint(1).uint(2 * 2 + 1).uint(0).sint(0).sint(0).uint(0).done();
        assertThatThrownBy(() -> CODEC.product(notAShape, TABLE)).isInstanceOf(IllegalStateException.class);
        byte[] tooManyDigits = new Bytes().raw(0x80).uint(1).uint(1).uint(3 * 2 + 1).uint(1_000_000).sint(0).sint(0)
            .uint(0).done();
        assertThatThrownBy(() -> CODEC.product(tooManyDigits, TABLE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CODEC.product(new byte[] {2, 0}, TABLE)).isInstanceOf(IllegalStateException.class);
    }

    /** The layout's bytes: LEB128 varints, signed ones zigzag. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(int b) {
            out.write(b);
            return this;
        }

        Bytes uint(long n) {
            while ((n & ~0x7fL) != 0) {
                out.write((int) (n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.write((int) n);
            return this;
        }

        Bytes sint(long n) {
            return uint((n << 1) ^ (n >> 63));
        }

        Bytes text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] done() {
            return out.toByteArray();
        }
    }
}
