#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line after the program name: a benchmark name, then `--name value` options.
struct BenchmarkArguments {
    let command: String?
    private let options: [String]

    init(_ arguments: [String]) {
        command = arguments.first
        options = Array(arguments.dropFirst())
    }

    /// The integer after `--name`, or `defaultValue` when absent; exits with usage status 64 when
    /// the value is missing or not a positive integer.
    func integer(_ name: String, default defaultValue: Int) -> Int {
        guard let at = options.firstIndex(of: "--\(name)") else { return defaultValue }
        guard at + 1 < options.count, let value = Int(options[at + 1]), value > 0 else {
            fputs("symdetect-bench: --\(name) needs a positive integer\n", stderr)
            exit(64)
        }
        return value
    }

    /// The comma-separated positive integers after `--name` (e.g. `--sizes 100000,1000000`).
    func integers(_ name: String, default defaultValue: [Int]) -> [Int] {
        guard let at = options.firstIndex(of: "--\(name)") else { return defaultValue }
        guard at + 1 < options.count else {
            fputs("symdetect-bench: --\(name) needs a value\n", stderr)
            exit(64)
        }
        let values = options[at + 1].split(separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            fputs("symdetect-bench: --\(name) needs comma-separated positive integers\n", stderr)
            exit(64)
        }
        return values.map { $0! }
    }

    /// The word after `--name`, or `defaultValue`.
    /// Whether `--name` is present.
    func flag(_ name: String) -> Bool { options.contains("--\(name)") }

    func string(_ name: String, default defaultValue: String) -> String {
        guard let at = options.firstIndex(of: "--\(name)") else { return defaultValue }
        guard at + 1 < options.count else {
            fputs("symdetect-bench: --\(name) needs a value\n", stderr)
            exit(64)
        }
        return options[at + 1]
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// CPU seconds (user + system, all threads) the process has used so far.
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// SplitMix64 (Steele, Lea & Flood 2014): a seeded generator so generated inputs are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
