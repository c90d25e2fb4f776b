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
      csv [--rows N] [--repeat K]   read a generated CSV of N rows x 4 columns of 17-digit numbers
                                    (default N = 1200000, about 100 MB) K times (default 3) with
                                    CSVReader.read and print MB/s (best and median)
    """

var arguments = BenchmarkArguments(Array(CommandLine.arguments.dropFirst()))
do {
    switch arguments.command {
    case "csv":
        try runCSVBenchmark(arguments)
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
