// symdetect-bench: micro-benchmarks of the symdetect library, one per first argument.
//
//     swift run -c release --package-path Benchmarks symdetect-bench csv [--rows N] [--repeat K]
//
// To add a benchmark, add a `case` below that calls a function in its own file (as `csv` does with
// CSVBenchmark.swift) and a line to `usage`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: symdetect-bench BENCHMARK [options]

    benchmarks:
      csv [--rows N] [--repeat K] [--file PATH] [--sha256]
                                    read a generated CSV of N rows x 4 columns of 17-digit numbers
                                    (default N = 1200000, about 100 MB), or PATH, K times (default
                                    3) with CSVReader.read and print MB/s (best and median) and
                                    the CPU time of each run; --sha256 hashes the file on another
                                    thread meanwhile, as `symdetect analyze` does
      xyz [--frames N] [--repeat K] read a generated extended-XYZ trajectory of N frames of a
                                    4-atom molecule with forces (default N = 100000, about 55 MB)
                                    K times (default 3) with ExtendedXYZReader.read and print
                                    frames/s and MB/s
      fit [--rows N]                order-4 Taylor fit (centre auto) of N rows x 3 coordinates
                                    (default 1000000)
      fit-molecular [--rows N] [--dimension D]
                                    one order-4 Taylor fit at a given centre with D coordinates
                                    (default 9: 715 monomials) and N rows (default 12000)
      fit-forces [--frames N] [--dimension D]
                                    one gradient-enhanced order-4 fit (energies and forces) of N
                                    frames x D coordinates (default 1000 x 9: 715 monomials,
                                    10000 equations), weight estimated
      analyze [--rows N]            the whole analysis, default operations, N rows x 3
                                    coordinates (default 100000), with the time of each stage
      analyze-learning-curve [--sizes 1000,100000,1000000]
                                    the whole analysis with --learning-curve off and quick on
                                    the synthetic well of each size: both wall times and what
                                    quick adds (at most about 20 s on two cores)
      side-by-side [--sizes 100000,1000000] [--pairs 5] [--symdetect PATH] [--peer PATH] [--dir D]
                                    writes the synthetic well (seed 42) as CSV for each size, then
                                    times `symdetect analyze` and the numpy peer
                                    (../shared/bench/peer_analyze.py) alternately, 5 pairs per
                                    size; prints the medians and the median ratio peer/symdetect.
                                    Run from the repository root after swift build -c release.
      learning-curve [--example morse|hydrogen-2pz|water] [--data PATH] [--op OP ...]
                     [--scheme S ...] [--max-n N] [--sizes 16,32,...] [--repeats R] [--test-size M]
                     [--rows ROWS] [--center C] [--cv-points P] [--json PATH]
                                    LearningCurve.run wall time, measured plateaus and predicted
                                    floors (see LearningCurveBenchmark.swift for the defaults)
    """

var arguments = BenchmarkArguments(Array(CommandLine.arguments.dropFirst()))
do {
    switch arguments.command {
    case "csv":
        try runCSVBenchmark(arguments)
    case "xyz":
        try runExtendedXYZBenchmark(arguments)
    case "fit":
        try runFitBenchmark(arguments)
    case "fit-molecular":
        try runMolecularFitBenchmark(arguments)
    case "fit-forces":
        try runGradientFitBenchmark(arguments)
    case "side-by-side":
        try runSideBySideBenchmark(arguments)
    case "analyze":
        try runAnalyzeBenchmark(arguments)
    case "analyze-learning-curve":
        try runAnalyzeLearningCurveBenchmark(arguments)
    case "learning-curve":
        try runLearningCurveBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    case "-h", "--help", "help":
        print(usage)
    default:
        fputs("symdetect-bench: unknown benchmark '\(arguments.command ?? "")'\n\(usage)\n", stderr)
        exit(64)
    }
} catch {
    fputs("symdetect-bench: \(error)\n", stderr)
    exit(1)
}
