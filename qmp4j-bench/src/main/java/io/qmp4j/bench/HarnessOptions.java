package io.qmp4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The harness's command line. Every option has a default, so {@code bench/run.sh} alone runs the
 * documented full benchmark.
 *
 * @param repoRoot   the repository root (default: found upwards from the working directory)
 * @param perfDir    the directory holding {@code qmpbench.c} and {@code goqmpbench/}
 *                   ({@code --perf-dir}, else {@code QMP4J_PERF_DIR}, else {@code ../shared/perf}
 *                   from the repository root)
 * @param out        the report ({@code --out}, default {@code docs/benchmarks.md})
 * @param workDir    build and scratch directory ({@code --work}, default {@code qmp4j-bench/target/bench})
 * @param rounds     rounds per workload ({@code --rounds}, default 3)
 * @param counts     operations per workload ({@link Counts#FULL}; {@code --smoke} or {@code --scale F})
 * @param smoke      {@code --smoke}: tiny counts, one round, in-process JMH: proves that everything works
 * @param workloads  {@code --workloads a,b}: a subset by id (default all)
 * @param jmh        false with {@code --no-jmh}
 * @param idle       false with {@code --no-idle} (the many-idle-connections run)
 * @param go         false with {@code --no-go}
 */
record HarnessOptions(Path repoRoot, Path perfDir, Path out, Path workDir, int rounds, Counts counts, boolean smoke,
        Set<Workload> workloads, boolean jmh, boolean idle, boolean go) {

    static final String USAGE = """
            usage: bench/run.sh [--smoke] [--rounds N] [--scale F] [--workloads ID,ID] [--no-jmh] [--no-idle]
                                [--no-go] [--perf-dir DIR] [--out FILE] [--work DIR] [--repo-root DIR]
              --perf-dir DIR  where qmpbench.c and goqmpbench/ are (env QMP4J_PERF_DIR; default ../shared/perf
                              relative to the repository root); a missing peer is skipped with a note
              --smoke         seconds-long run of every part (CI); one round, tiny counts
              --scale F       multiply every count by F (for short development runs)
              workloads: %s""";

    static HarnessOptions parse(String[] args) {
        Path repo = null;
        Path perf = null;
        Path out = null;
        Path work = null;
        int rounds = -1;
        double scale = 1;
        boolean smoke = false;
        boolean jmh = true;
        boolean idle = true;
        boolean go = true;
        Set<Workload> workloads = EnumSet.allOf(Workload.class);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> smoke = true;
                case "--no-jmh" -> jmh = false;
                case "--no-idle" -> idle = false;
                case "--no-go" -> go = false;
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
                case "--scale" -> scale = Double.parseDouble(value(args, ++i, a));
                case "--perf-dir" -> perf = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--repo-root" -> repo = Path.of(value(args, ++i, a));
                case "--workloads" -> {
                    workloads = EnumSet.noneOf(Workload.class);
                    for (String id : value(args, ++i, a).split(",")) {
                        workloads.add(Workload.byId(id.strip()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        repo = (repo != null ? repo : findRepoRoot()).toAbsolutePath().normalize();
        if (perf == null) {
            String env = System.getenv("QMP4J_PERF_DIR");
            perf = env != null && !env.isBlank() ? Path.of(env) : repo.resolve("../shared/perf");
        }
        Counts counts = (smoke ? Counts.SMOKE : Counts.FULL).scaled(scale);
        return new HarnessOptions(repo, perf.toAbsolutePath().normalize(),
                out != null ? out.toAbsolutePath() : repo.resolve("docs/benchmarks.md"),
                work != null ? work.toAbsolutePath() : repo.resolve("qmp4j-bench/target/bench"),
                rounds > 0 ? rounds : (smoke ? 1 : 3), counts, smoke, workloads, jmh, idle, go);
    }

    static String usage() {
        List<String> ids = new ArrayList<>();
        for (Workload w : Workload.values()) {
            ids.add(w.id());
        }
        return USAGE.formatted(String.join(",", ids));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage());
        }
        return args[i];
    }

    /** The nearest directory upwards that holds the parent pom and qmp4j-bench. */
    private static Path findRepoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("qmp4j-bench"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("cannot find the repository root above " + dir + "; pass --repo-root");
    }
}
