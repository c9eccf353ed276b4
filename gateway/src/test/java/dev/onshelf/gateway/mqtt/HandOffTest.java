package dev.onshelf.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The hand-off from Paho's thread to the event loop, on a loop run by hand (no broker, no threads). */
class HandOffTest {
    /** An event loop run by hand: tasks in the order they were queued. */
    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private boolean flushQueued;

    private void runLoop() {
        Runnable task;
        while ((task = loop.poll()) != null) {
            task.run();
        }
    }

    /** What the pipeline does per message: collect it, and queue one flush (to Redis) after the turn. */
    private void handle(Integer item) {
        log.add("m" + item);
        if (!flushQueued) {
            flushQueued = true;
            loop.add(() -> {
                flushQueued = false;
                log.add("flush");
            });
        }
    }

    @Test
    void aFloodIsHandedOverInTurnsSoWhatEachTurnCollectedLeavesBeforeTheNextIsDecoded() {
        // given a loop that hands over at most 128 messages a turn
        HandOff<Integer> handOff = new HandOff<>(loop::add, 128, this::handle);
        // when 1,000 messages arrive before the loop runs (a backlog the broker delivers at once)
        IntStream.range(0, 1_000).forEach(handOff::add);
        assertThat(loop).as("one task for the burst, not one per message").hasSize(1);
        runLoop();
        // then every message is handled once, in arrival order
        assertThat(log.stream().filter(e -> e.startsWith("m")).toList())
            .isEqualTo(IntStream.range(0, 1_000).mapToObj(i -> "m" + i).toList());
        // and a flush runs after each turn of at most 128 (unbounded, one flush came after all 1,000)
        int sinceFlush = 0;
        int flushes = 0;
        for (String e : log) {
            if (e.equals("flush")) {
                assertThat(sinceFlush).as("messages before this flush").isBetween(1, 128);
                sinceFlush = 0;
                flushes++;
            } else {
                sinceFlush++;
            }
        }
        assertThat(sinceFlush).as("nothing left unflushed").isZero();
        assertThat(flushes).isEqualTo(8);  // ceil(1000 / 128)
    }

    @Test
    void messagesArrivingWhileTheLoopRunsComeAfterThoseBeforeThemAndNeedNoExtraTask() {
        HandOff<Integer> handOff = new HandOff<>(loop::add, 4, this::handle);
        handOff.add(1);
        handOff.add(2);
        handOff.add(3);
        assertThat(loop).hasSize(1);
        loop.poll().run();  // the turn: 1, 2, 3 and a flush queued
        handOff.add(4);     // arrives between turns: a new task
        runLoop();
        assertThat(log).containsExactly("m1", "m2", "m3", "flush", "m4", "flush");
        assertThat(loop).isEmpty();
    }

    @Test
    void aTurnOfFewerThanOneIsRefused() {
        assertThatThrownBy(() -> new HandOff<Integer>(loop::add, 0, this::handle))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
