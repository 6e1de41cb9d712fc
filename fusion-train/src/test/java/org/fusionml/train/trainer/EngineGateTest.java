package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EngineGateTest {
    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true); // threads parked by the gate never return
        t.start();
        return t;
    }

    /** Waits until {@code gate}'s drain has begun, at most 5 s. */
    private static void awaitClosing(EngineGate gate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!gate.closing() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(gate.closing());
    }

    /** Waits until {@code t} is parked (WAITING), at most 5 s. */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, t.getState());
    }

    @Test
    void drainWaitsForTheSectionInFlightAndThenParksItsThread() throws Exception {
        EngineGate gate = new EngineGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch leftSection = new CountDownLatch(1);
        Thread worker =
                daemon(
                        () -> {
                            try (EngineGate.Section s = gate.enter()) {
                                entered.countDown();
                                finish.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            leftSection.countDown(); // never reached: close() parks
                        });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        assertEquals(1, gate.inFlight());

        CompletableFuture<Boolean> drained =
                CompletableFuture.supplyAsync(() -> gate.drain(Duration.ofSeconds(20)));
        awaitClosing(gate);
        Thread.sleep(100);
        assertFalse(drained.isDone(), "drain returned while a section was in flight");

        finish.countDown();
        assertTrue(drained.get(5, TimeUnit.SECONDS));
        assertEquals(0, gate.inFlight());
        awaitParked(worker);
        assertFalse(leftSection.await(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void drainGivesUpAtItsLimit() throws Exception {
        EngineGate gate = new EngineGate();
        CountDownLatch entered = new CountDownLatch(1);
        daemon(
                () -> {
                    EngineGate.Section s = gate.enter(); // never closed
                    entered.countDown();
                });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertFalse(gate.drain(Duration.ofMillis(150)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
        assertEquals(1, gate.inFlight());
    }

    @Test
    void noSectionStartsOnceDrained() throws Exception {
        EngineGate gate = new EngineGate();
        try (EngineGate.Section s = gate.enter()) {
            assertEquals(1, gate.inFlight());
        }
        assertEquals(0, gate.inFlight());
        assertTrue(gate.drain(Duration.ofMillis(1)));

        CountDownLatch inside = new CountDownLatch(1);
        Thread late =
                daemon(
                        () -> {
                            gate.enter();
                            inside.countDown();
                        });
        awaitParked(late);
        assertFalse(inside.await(200, TimeUnit.MILLISECONDS));
        assertEquals(0, gate.inFlight());
    }

    @Test
    void closingTwiceCountsOnce() {
        EngineGate gate = new EngineGate();
        EngineGate.Section a = gate.enter();
        a.close();
        a.close();
        assertEquals(0, gate.inFlight());
        try (EngineGate.Section b = gate.enter()) {
            assertEquals(1, gate.inFlight());
        }
        assertEquals(0, gate.inFlight());
    }

    @Test
    void nestedSectionsCountOnceAndOnlyTheOutermostParks() throws Exception {
        EngineGate gate = new EngineGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch innerDone = new CountDownLatch(1);
        CountDownLatch outerClosed = new CountDownLatch(1);
        Thread worker =
                daemon(
                        () -> {
                            try (EngineGate.Section outer = gate.enter()) {
                                try (EngineGate.Section first = gate.enter()) {
                                    entered.countDown();
                                    go.await();
                                }
                                // entered after the drain began: part of the outer section
                                try (EngineGate.Section second = gate.enter()) {
                                    innerDone.countDown();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            outerClosed.countDown(); // never reached: the outer close() parks
                        });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        assertEquals(1, gate.inFlight(), "the inner section belongs to the outer one");

        CompletableFuture<Boolean> drained =
                CompletableFuture.supplyAsync(() -> gate.drain(Duration.ofSeconds(20)));
        awaitClosing(gate);
        go.countDown();
        assertTrue(innerDone.await(5, TimeUnit.SECONDS), "nested sections went on while closing");
        assertTrue(drained.get(5, TimeUnit.SECONDS));
        assertEquals(0, gate.inFlight());
        awaitParked(worker);
        assertFalse(outerClosed.await(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aSectionClosedOnAnotherThreadCountsForItsOwn() throws Exception {
        EngineGate gate = new EngineGate();
        EngineGate.Section mine = gate.enter();
        Thread other = daemon(mine::close);
        other.join(5_000);
        assertEquals(0, gate.inFlight());
        try (EngineGate.Section again = gate.enter()) {
            assertEquals(1, gate.inFlight(), "an outermost section again, counted");
        }
        assertEquals(0, gate.inFlight());
    }
}
