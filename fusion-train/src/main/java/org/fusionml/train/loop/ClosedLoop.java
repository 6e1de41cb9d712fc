package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.FolderLock;
import org.fusionml.train.trainer.Progress;

/**
 * FUSION's closed loop (paper Section 3.5): split (fixed test part, or leave-one-cluster-out folds)
 * -> evidential surrogate on the training part -> fingerprints of the candidates (training +
 * validation) -> scores -> for every method, ratio (or tolerance epsilon), seed and target
 * architecture: prune the candidates, retrain the target model on what is left, evaluate on the
 * fold's test part. Every cell writes {@code cells/METHOD_rRATIO_sSEED_ARCH[_fFOLD].json} ({@code
 * _eEPSILON_} in a grid over epsilon) atomically, with the ratio it pruned and the epsilon of that
 * ratio under the fold's influences; a re-run skips the cells that exist, so an interrupted loop
 * resumes cell by cell. Surrogates and committees are trained only for folds with cells left to
 * compute.
 *
 * <p>This class orchestrates; the steps are the package's {@code Fold} (the folds), {@code
 * CellGrid} (the cells), {@code FoldInputs} with {@code Surrogates} (scores and disagreement per
 * fold) and {@code CellRunner} (prune, retrain and evaluate one cell).
 */
public final class ClosedLoop {
    private final LoopConfig config;
    private final PrintWriter log;
    private final FoldInputs foldInputs;

    public ClosedLoop(LoopConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
        this.foldInputs = new FoldInputs(config, log);
    }

    /** Runs (or resumes) the loop in {@code out}; returns the number of cells computed now. */
    public int run(Path out, int threads) throws IOException {
        return run(out, threads, -1);
    }

    /**
     * Runs (or resumes) the loop in {@code out}, or only its cell number {@code only} (0-based, in
     * the order of {@link #cells}; a SLURM array task) when {@code only >= 0}. Returns the number
     * of cells computed now.
     */
    public int run(Path out, int threads, int only) throws IOException {
        return run(out, threads, only, false);
    }

    /**
     * As {@link #run(Path, int, int)}; with {@code startOver}, what an earlier loop wrote into
     * {@code out} is deleted first, else a folder written with other settings is refused ({@link
     * LoopDirectory}).
     */
    public int run(Path out, int threads, int only, boolean startOver) throws IOException {
        try (FolderLock lock = lock(out, only, startOver)) {
            Grid grid = grid(out, threads, LoopDirectory.claim(out, config, startOver));
            requireCell(only, grid.cells().size());
            return runCells(grid, cellsToDo(grid.cells(), only, grid.dir()));
        }
    }

    /** A claimed loop folder with its folds, its cells in order and what computes a cell. */
    private record Grid(LoopDirectory dir, List<Fold> folds, List<Cell> cells, CellRunner runner) {

        /** Computes cell {@code index} and writes its result. */
        CellResult run(int index) throws IOException {
            Cell c = cells.get(index);
            CellResult result = runner.run(c, fold(c));
            result.write(dir.cellFile(c));
            return result;
        }

        boolean finished(int index) {
            return Files.exists(dir.cellFile(cells.get(index)));
        }

        Fold fold(Cell c) {
            return folds.get(Math.max(0, c.fold()));
        }

        /** The scoring whose surrogate and scores prune {@code c}. */
        ScoringFolder scoring(Cell c) {
            Fold fold = fold(c);
            return new ScoringFolder(fold, c.seed(), runner.scoringDir(fold, c.seed()));
        }

        /**
         * The scoring folders of the grid, one per fold and folder (one per fold unless {@code
         * surrogate_per_seed}): per fold its own first (the configured surrogate's, which also
         * writes what the fold's seeds share: fingerprints and committee), then the seeds' in the
         * order of the cells.
         */
        List<ScoringFolder> scorings() {
            Map<Path, ScoringFolder> out = new LinkedHashMap<>();
            long own = runner.configuredSurrogateSeed();
            for (Fold fold : folds) {
                out.put(fold.dir(), new ScoringFolder(fold, own, fold.dir()));
                for (Cell c : cells) {
                    if (c.fold() == fold.index()) {
                        ScoringFolder s = scoring(c);
                        out.putIfAbsent(s.dir(), s);
                    }
                }
            }
            return List.copyOf(out.values());
        }

        /**
         * Whether {@code scoring} has to be prepared: a seed's folder while its cells are not all
         * finished, the fold's own while any cell of the fold is not (the seeds' scorings read what
         * it writes).
         */
        boolean needed(ScoringFolder scoring) {
            for (int index = 0; index < cells.size(); index++) {
                ScoringFolder s = scoring(cells.get(index));
                if (!finished(index)
                        && (scoring.foldsOwn()
                                ? s.fold().index() == scoring.fold().index()
                                : s.dir().equals(scoring.dir()))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * What one surrogate prunes: a fold's cells of the seeds whose scores live in {@code dir} (the
     * fold's folder, or its {@code seed_S/} with {@code surrogate_per_seed}); {@code seed} is one
     * of them.
     */
    private record ScoringFolder(Fold fold, long seed, Path dir) {
        /** Whether this is the fold's own folder (the configured surrogate's scores). */
        boolean foldsOwn() {
            return dir.equals(fold.dir());
        }

        /** "the fixed split" or "fold C", with "(seed S's surrogate)" for a seed's own one. */
        String describe() {
            return fold.describe() + (foldsOwn() ? "" : " (seed " + seed + "'s surrogate)");
        }
    }

    private Grid grid(Path out, int threads, LoopDirectory dir) throws IOException {
        CrystalDataset data = Datasets.load(config.data());
        List<Fold> folds = Fold.all(config, data, out, threads);
        return new Grid(
                dir,
                folds,
                CellGrid.of(config, folds),
                new CellRunner(config, data, dir, threads, foldInputs));
    }

    /**
     * Runs, as one of several workers side by side ({@code fusion loop --workers N}), every cell of
     * the loop in {@code out} that is neither finished nor taken: a worker takes a cell by its lock
     * ({@code cell_INDEX.lock}, as a SLURM array task does) and passes over a cell whose lock a
     * live process holds, so workers share the grid without a coordinator. {@code loop.lock} must
     * be free or held by the workers' parent {@code parentPid} (which holds it while they run, so
     * no other loop starts on the folder meanwhile).
     *
     * <p>The scoring folders are prepared the same way, first: a worker takes each folder with
     * unfinished cells (a fold's own, or with {@code surrogate_per_seed} a seed's {@code seed_S/},
     * the latter only once the worker has seen the fold's own prepared: it writes the fingerprints
     * and committee the seeds share) whose {@code prepare.lock} is free and prepares it ({@link
     * FoldInputs}: what of its surrogate and committee is missing is trained; when {@link
     * #prepareForWorkers} or another worker trained them, only the nearest-neighbour search and the
     * scoring are redone), so the surrogates of an out-of-distribution loop, and the seeds'
     * surrogates, train side by side. A worker runs a cell only once it has seen the cell's scoring
     * folder prepared; when the only cells left wait for a folder that another worker prepares, it
     * says so once and waits. A lock held on another host is refused in one line ({@link
     * org.fusionml.data.InvalidInputException}). Worker {@code start} begins its rounds of the
     * folds and the grid at {@code start} (mod their counts), so that workers do not all reach for
     * the same fold or cell. Returns the number of cells this worker computed.
     */
    public int work(Path out, int threads, long parentPid, int start) throws IOException {
        Path whole = LoopDirectory.lockFile(out);
        refuseUnlessParent(whole, parentPid);
        Grid grid = grid(out, threads, LoopDirectory.claim(out, config, false));
        return new Worker(grid, whole, parentPid, start).run();
    }

    /** One worker's rounds over the folds and the grid ({@link #work}). */
    private final class Worker {
        private final Grid grid;
        private final Path whole;
        private final long parentPid;
        private final int start;
        private final String me;
        private final Set<Path> prepared = new HashSet<>();
        private final Set<Path> announced = new HashSet<>();
        private final long t0 = System.nanoTime();
        private int computed;

        Worker(Grid grid, Path whole, long parentPid, int start) {
            this.grid = grid;
            this.whole = whole;
            this.parentPid = parentPid;
            this.start = start;
            this.me = "fusion loop --worker-of " + parentPid;
        }

        /** Rounds until no cell is left to this worker; returns the cells it computed. */
        int run() throws IOException {
            while (true) {
                Map<ScoringFolder, FolderLock.Owner> elsewhere = new LinkedHashMap<>();
                boolean preparedOne = prepareFreeScorings(elsewhere);
                int before = computed;
                if (!runFreeCells()) {
                    return computed;
                }
                if (!preparedOne && computed == before && trainFreeMembers(elsewhere) == 0) {
                    announceWaits(elsewhere);
                    pause(WAIT_FOR_FOLD_MS, "a fold");
                }
            }
        }

        /**
         * Prepares each scoring (a fold, or with {@code surrogate_per_seed} a fold's seed) with
         * unfinished cells whose {@code prepare.lock} is free; puts those that live workers of this
         * host prepare into {@code elsewhere} (a holder on another host, which this host cannot
         * check, is refused in one line). Returns whether it prepared one.
         */
        private boolean prepareFreeScorings(Map<ScoringFolder, FolderLock.Owner> elsewhere)
                throws IOException {
            boolean preparedOne = false;
            List<ScoringFolder> scorings = grid.scorings();
            for (int k = 0; k < scorings.size(); k++) {
                ScoringFolder scoring = scorings.get(Math.floorMod(start + k, scorings.size()));
                if (prepared.contains(scoring.dir())
                        || !grid.needed(scoring)
                        || !(scoring.foldsOwn() || prepared.contains(scoring.fold().dir()))) {
                    continue; // a seed's folder waits until this worker has seen the fold's own
                }
                Path file = scoring.dir().resolve(PREPARE_LOCK);
                FolderLock.Attempt attempt =
                        FolderLock.attempt(
                                file, me + " (preparing " + scoring.describe() + ")", log);
                if (attempt.taken()) {
                    try (FolderLock foldLock = attempt.lock()) {
                        refuseUnlessParent(whole, parentPid);
                        grid.runner().prepared(scoring.fold(), scoring.seed());
                    }
                    prepared.add(scoring.dir());
                    preparedOne = true;
                } else if (!attempt.holder().host().equals(FolderLock.hostName())) {
                    throw FolderLock.held(file, attempt.holder());
                } else {
                    elsewhere.put(scoring, attempt.holder());
                }
            }
            return preparedOne;
        }

        /**
         * Runs each unfinished cell whose scoring this worker has seen prepared and whose lock is
         * free; returns whether cells are left whose scoring another worker prepares.
         */
        private boolean runFreeCells() throws IOException {
            boolean waiting = false;
            for (int k = 0; k < grid.cells().size(); k++) {
                int index = Math.floorMod(start + k, grid.cells().size());
                if (grid.finished(index)) {
                    continue;
                }
                if (!prepared.contains(grid.scoring(grid.cells().get(index)).dir())) {
                    waiting = true;
                    continue;
                }
                Optional<FolderLock> taken =
                        FolderLock.tryAcquire(
                                LoopDirectory.cellLock(grid.dir().path(), index),
                                me + " (cell " + index + ")",
                                log);
                if (taken.isEmpty()) {
                    continue;
                }
                try (FolderLock cellLock = taken.get()) {
                    refuseUnlessParent(whole, parentPid);
                    if (!grid.finished(index)) { // another worker may have finished it meanwhile
                        runCell(index);
                    }
                }
            }
            return waiting;
        }

        private void runCell(int index) throws IOException {
            CellResult result = grid.run(index);
            computed++;
            log.println(
                    String.format(
                            Locale.ROOT,
                            "cell %d/%d %s: test MAE %.4f (worker pid %d, %.0fs)",
                            index + 1,
                            grid.cells().size(),
                            grid.cells().get(index).name(),
                            result.testMae(),
                            ProcessHandle.current().pid(),
                            (System.nanoTime() - t0) * 1e-9));
            log.flush();
        }

        /**
         * While other workers prepare folds: trains the committee members of those folds that no
         * one trains yet (the worker preparing a fold waits for them), so that a committee's
         * members train side by side. Returns the number trained.
         */
        private int trainFreeMembers(Map<ScoringFolder, FolderLock.Owner> elsewhere)
                throws IOException {
            int trained = 0;
            for (ScoringFolder scoring : elsewhere.keySet()) {
                if (scoring.foldsOwn()) {
                    refuseUnlessParent(whole, parentPid);
                    trained += grid.runner().trainFreeCommitteeMembers(scoring.fold());
                }
            }
            return trained;
        }

        /** Says once per scoring that this worker waits for it, and whom for. */
        private void announceWaits(Map<ScoringFolder, FolderLock.Owner> elsewhere) {
            elsewhere.forEach(
                    (scoring, owner) -> {
                        if (announced.add(scoring.dir())) {
                            log.println(
                                    "worker pid "
                                            + ProcessHandle.current().pid()
                                            + " waits for "
                                            + scoring.describe()
                                            + ", prepared by "
                                            + owner.describe());
                        }
                    });
            log.flush();
        }
    }

    /** The lock a worker holds in a scoring folder (a fold's, or a seed's) while it prepares it. */
    static final String PREPARE_LOCK = "prepare.lock";

    /**
     * How long a worker waits before it looks again for a scoring folder that another worker
     * prepares.
     */
    static final long WAIT_FOR_FOLD_MS = 5_000;

    /** Sleeps {@code millis} while waiting for {@code what} that another worker makes. */
    static void pause(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /**
     * What the parent of {@code fusion loop --workers} prepares before its workers start: a loop
     * with one fold has its configured surrogate trained and scored ({@link #inputs}: it trains on
     * all {@code threads}); an out-of-distribution loop only claims the folder and clusters the
     * fingerprints of the whole dataset. The folds' surrogates and committees, and the surrogates
     * of the other seeds with {@code surrogate_per_seed}, are left to the workers ({@link #work}),
     * which train them side by side (a committee's members too: a worker waiting for a fold that
     * another prepares trains the members no one trains yet).
     */
    public void prepareForWorkers(Path out, int threads, boolean startOver) throws IOException {
        if (config.ood() == null) {
            if (startOver) {
                try (FolderLock lock = lock(out, -1, true)) {
                    LoopDirectory.claim(out, config, true);
                }
            }
            inputs(out, threads, false);
            return;
        }
        try (FolderLock lock = lock(out, -1, startOver)) {
            LoopDirectory.claim(out, config, startOver);
            Fold.all(config, Datasets.load(config.data()), out, threads);
        }
    }

    /** Locks the whole loop in {@code out} (as a whole run does), for the workers' parent. */
    public FolderLock lockWhole(Path out) throws IOException {
        return lock(out, -1, false);
    }

    /** Refuses when a live process other than {@code parentPid} holds {@code whole}. */
    private static void refuseUnlessParent(Path whole, long parentPid) throws IOException {
        Optional<FolderLock.Owner> owner = FolderLock.liveOwner(List.of(whole));
        if (owner.isPresent()
                && (owner.get().pid() != parentPid
                        || !owner.get().host().equals(FolderLock.hostName()))) {
            throw FolderLock.held(whole, owner.get());
        }
    }

    /**
     * Locks {@code out} for this process. A run of one cell ({@code only >= 0}, a SLURM array task)
     * locks that cell ({@code cell_INDEX.lock}), so that array tasks run side by side, and refuses
     * while a whole loop holds {@code loop.lock}; anything else (the whole loop, {@code --prepare},
     * a start over) holds {@code loop.lock} and refuses while any cell is locked. Each side takes
     * its own lock before it looks at the other's, so two that start together never both go on.
     */
    private FolderLock lock(Path out, int only, boolean startOver) throws IOException {
        Path whole = LoopDirectory.lockFile(out);
        if (only >= 0 && !startOver) {
            FolderLock cell =
                    FolderLock.acquire(
                            LoopDirectory.cellLock(out, only), "fusion loop --cell " + only, log);
            refuseIfHeld(cell, List.of(whole));
            return cell;
        }
        FolderLock lock =
                FolderLock.acquire(whole, startOver ? "fusion loop --restart" : "fusion loop", log);
        refuseIfHeld(lock, workerLocksIn(out));
        return lock;
    }

    /**
     * The locks of single cells and of workers in the loop folder {@code dir}: {@code
     * cell_INDEX.lock}, and the {@code prepare.lock} of the folder, of each {@code fold_C} and of
     * each {@code seed_S} in either.
     */
    static List<Path> workerLocksIn(Path dir) throws IOException {
        List<Path> locks = new ArrayList<>();
        for (Path p : sortedEntries(dir)) {
            String name = p.getFileName().toString();
            if (name.matches("cell_[0-9]+\\.lock")) {
                locks.add(p);
            } else if (name.matches("fold_[0-9]+")) {
                addPrepareLocks(p, locks);
            }
        }
        addPrepareLocks(dir, locks);
        return locks;
    }

    /** The {@code prepare.lock} of {@code dir} and of each {@code seed_S} in it that exist. */
    private static void addPrepareLocks(Path dir, List<Path> locks) throws IOException {
        if (Files.exists(dir.resolve(PREPARE_LOCK))) {
            locks.add(dir.resolve(PREPARE_LOCK));
        }
        for (Path p : sortedEntries(dir)) {
            if (LoopDirectory.seedOf(p).isPresent() && Files.exists(p.resolve(PREPARE_LOCK))) {
                locks.add(p.resolve(PREPARE_LOCK));
            }
        }
    }

    private static List<Path> sortedEntries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void refuseIfHeld(FolderLock mine, List<Path> others) throws IOException {
        for (Path other : others) {
            Optional<FolderLock.Owner> owner = FolderLock.liveOwner(List.of(other));
            if (owner.isPresent()) {
                mine.close();
                throw FolderLock.held(other, owner.get());
            }
        }
    }

    private static void requireCell(int only, int cells) {
        if (only >= cells) {
            throw new IllegalArgumentException(
                    "cell "
                            + only
                            + " does not exist: the loop has "
                            + cells
                            + " cells (0.."
                            + (cells - 1)
                            + ")");
        }
    }

    /**
     * The indices of the cells of this call ({@code only}, or all) not finished by an earlier one.
     */
    private static List<Integer> cellsToDo(List<Cell> cells, int only, LoopDirectory dir) {
        List<Integer> todo = new ArrayList<>();
        for (int index = 0; index < cells.size(); index++) {
            if ((only < 0 || index == only) && !Files.exists(dir.cellFile(cells.get(index)))) {
                todo.add(index);
            }
        }
        return todo;
    }

    /**
     * Runs the cells {@code todo}, writing each one's result, with a progress bar and a log line
     * per cell; returns how many ran.
     */
    private int runCells(Grid grid, List<Integer> todo) throws IOException {
        List<Cell> cells = grid.cells();
        Progress bar = new Progress("cells", todo.size(), log, false);
        long t0 = System.nanoTime();
        int computed = 0;
        for (int index : todo) {
            CellResult result = grid.run(index);
            computed++;
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            bar.println(
                    String.format(
                            Locale.ROOT,
                            "cell %d/%d %s: test MAE %.4f (%.0fs, ETA %.0fs)",
                            index + 1,
                            cells.size(),
                            cells.get(index).name(),
                            result.testMae(),
                            elapsed,
                            elapsed / computed * (todo.size() - computed)));
            bar.update(computed);
        }
        return computed;
    }

    /**
     * The cells of the loop, in the order they run: per fold and seed the main grid, then the
     * optimal-point search.
     */
    public List<Cell> cells(Path out, int threads) throws IOException {
        return CellGrid.of(config, Fold.all(config, Datasets.load(config.data()), out, threads));
    }

    /**
     * The number of cells of {@link #cells}, known from the configuration alone (no data read, no
     * folder written).
     */
    public int cellCount() {
        return CellGrid.count(config);
    }

    /**
     * How many of the {@link #cellCount} cells of this configuration have their result in the loop
     * folder {@code out}.
     */
    public int finishedCells(Path out) {
        int finished = 0;
        for (Cell c : CellGrid.ofConfig(config)) {
            if (Files.exists(LoopDirectory.cellFile(out, c))) {
                finished++;
            }
        }
        return finished;
    }

    /**
     * Trains every fold's surrogate (every seed's, with {@code surrogate_per_seed}) and committee
     * and writes its fingerprints and scores, so that cells can then run in parallel (the first job
     * of a SLURM plan). Idempotent; with {@code startOver}, what an earlier loop wrote into {@code
     * out} is deleted first (as {@link #run(Path, int, int, boolean)}).
     */
    public void prepare(Path out, int threads, boolean startOver) throws IOException {
        try (FolderLock lock = lock(out, -1, startOver)) {
            Grid grid = grid(out, threads, LoopDirectory.claim(out, config, startOver));
            for (ScoringFolder s : grid.scorings()) {
                grid.runner().prepared(s.fold(), s.seed());
            }
        }
    }

    /** {@link #prepare(Path, int, boolean)} without starting over. */
    public void prepare(Path out, int threads) throws IOException {
        prepare(out, threads, false);
    }

    /**
     * What the pruning strategies see, per fold (one for an in-distribution loop): the candidates
     * (training and validation indices), the configured surrogate's U, W and I (Eq. 3, 5, 6), the
     * fingerprints and structures, and the committee's disagreement when {@code committee} is among
     * the methods. Trains and writes whatever of it is missing in {@code out} (the surrogates of
     * other seeds, with {@code surrogate_per_seed}, are left to {@link #prepare} and the cells).
     */
    public List<PruningInput> inputs(Path out, int threads) throws IOException {
        return inputs(out, threads, foldInputs.committee());
    }

    /**
     * {@link #inputs(Path, int)}, with the committee's disagreement only when {@code committee}.
     */
    private List<PruningInput> inputs(Path out, int threads, boolean committee) throws IOException {
        try (FolderLock lock = lock(out, -1, false)) {
            LoopDirectory.claim(out, config, false);
            CrystalDataset data = Datasets.load(config.data());
            List<PruningInput> inputs = new ArrayList<>();
            long seed = config.surrogate().train().seed();
            for (Fold fold : Fold.all(config, data, out, threads)) {
                inputs.add(foldInputs.prepare(data, fold, seed, threads, committee).input());
            }
            return inputs;
        }
    }

    /**
     * Seed of the out-of-fold parts: the split seed with "oof" mixed in (see {@link
     * Surrogates#outOfFoldSeed}).
     */
    long outOfFoldSeed() {
        return Surrogates.outOfFoldSeed(config.data());
    }

    /**
     * One (method, budget, seed, target architecture, held-out cluster or -1) of the grid. The
     * budget is a pruning ratio, or a tolerance epsilon of Eq. 7 that becomes a ratio only once the
     * fold's influences are known: k*(epsilon) / n, the ratio FUSION's exact optimum removes (see
     * {@link PruningOptimizer}), which every method then removes too.
     *
     * @param ratio pruning ratio in [0, 1), NaN for an epsilon cell
     * @param epsilon tolerance epsilon (> 0), NaN for a ratio cell
     */
    public record Cell(
            String method, double ratio, double epsilon, long seed, String architecture, int fold) {
        static Cell atRatio(String method, double ratio, long seed, String architecture, int fold) {
            return new Cell(method, ratio, Double.NaN, seed, architecture, fold);
        }

        public boolean byEpsilon() {
            return !Double.isNaN(epsilon);
        }

        /** The ratio pruned: the configured one, or k*(epsilon) / n under these influences. */
        double ratio(double[] influence) {
            return byEpsilon() ? PruningOptimizer.ratioForEpsilon(influence, epsilon) : ratio;
        }

        /**
         * {@code METHOD_rRATIO_...} ({@code %.3f}) or {@code METHOD_eEPSILON_...} (shortest
         * decimal).
         */
        public String name() {
            String budget =
                    byEpsilon()
                            ? "e" + BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString()
                            : String.format(Locale.ROOT, "r%.3f", ratio);
            return String.format(Locale.ROOT, "%s_%s_s%d_%s", method, budget, seed, architecture)
                    + (fold >= 0 ? "_f" + fold : "");
        }
    }
}
