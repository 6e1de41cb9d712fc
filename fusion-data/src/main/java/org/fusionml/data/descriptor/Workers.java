package org.fusionml.data.descriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the same job on a fixed number of threads (the jobs share a work counter) and collects their
 * results.
 */
final class Workers {
    private Workers() {}

    /**
     * Runs {@code job} {@code workers} times concurrently (on the calling thread when there is
     * one).
     *
     * @param what what is computed, for the message of an interruption
     * @return the results in worker order
     */
    static <T> List<T> run(int workers, Callable<T> job, String what) {
        List<T> results = new ArrayList<>();
        try {
            if (workers <= 1) {
                results.add(job.call());
                return results;
            }
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<T>> jobs = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    jobs.add(pool.submit(job));
                }
                for (Future<T> f : jobs) {
                    results.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return results;
    }
}
