package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.fusionml.train.trainer.FolderLock;

/**
 * Another worker of {@code fusion loop --workers}, played by a thread of the test: it holds a
 * {@code prepare.lock} until a condition holds (the worker under test has said that it waits, say),
 * then records a check of what the worker under test left alone meanwhile and lets the lock go.
 */
final class AnotherWorker implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean checked = new AtomicBoolean();

    private AnotherWorker(FolderLock held, BooleanSupplier until, BooleanSupplier check) {
        thread =
                new Thread(
                        () -> {
                            try {
                                while (!until.getAsBoolean()) {
                                    Thread.sleep(50);
                                }
                                checked.set(check.getAsBoolean());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                held.close();
                            }
                        });
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes {@code lock} now and holds it until {@code until}; then evaluates {@code check}. */
    static AnotherWorker holding(Path lock, BooleanSupplier until, BooleanSupplier check)
            throws IOException {
        FolderLock held =
                FolderLock.acquire(lock, "another worker", new PrintWriter(new StringWriter()));
        return new AnotherWorker(held, until, check);
    }

    /** Whether {@code check} held when the lock was let go (false until then). */
    boolean checked() {
        return checked.get();
    }

    /** Waits for the lock to be let go; interrupts the thread first if it still waits. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
