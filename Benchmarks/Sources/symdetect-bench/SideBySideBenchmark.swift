import Foundation
import SymdetectCore

/// `side-by-side`: `symdetect analyze` against the numpy/scipy peer (../shared/bench), run
/// alternately on the same generated files, several pairs per size; prints each run, the medians
/// and the median ratio peer/symdetect. Alternating runs share whatever else the machine is doing,
/// so the ratio means more than either absolute time.
func runSideBySideBenchmark(_ arguments: BenchmarkArguments) throws {
    let pairs = arguments.integer("pairs", default: 5)
    let sizes = arguments.integers("sizes", default: [100_000, 1_000_000])
    let symdetect = arguments.string("symdetect", default: ".build/release/symdetect")
    let peer = arguments.string("peer", default: "../shared/bench/peer_analyze.py")
    let directory = arguments.string("dir", default: (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/symdetect-bench")
    guard FileManager.default.isExecutableFile(atPath: symdetect) else {
        throw BenchmarkFailure(description: "no symdetect binary at \(symdetect) (swift build -c release first, or --symdetect PATH)")
    }
    guard FileManager.default.fileExists(atPath: peer) else { throw BenchmarkFailure(description: "no peer script at \(peer) (--peer PATH)") }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

    var summary: [String] = []
    for rows in sizes {
        let path = "\(directory)/well-\(rows).csv"
        if !FileManager.default.fileExists(atPath: path) {
            print("side-by-side: writing \(path) (seed 42) ...")
            try writeWellCSV(syntheticWell(rows: rows), to: path)
        }
        var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = []
        for pair in 1...pairs {
            // The report goes next to the data, not into the repository's reports/. The same job as
            // the peer's: it measures no learning curve (`--learning-curve off`; the default
            // quick measurement is timed by `analyze-learning-curve`).
            let s = try timedRun(["/usr/bin/env", symdetect, "analyze", path, "--report", "\(directory)/well-\(rows).md",
                                  "--learning-curve", "off"])
            // As the peer's README says: these two variables slow a current numpy; unset for the peer only.
            let p = try timedRun(["/usr/bin/env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", "python3", peer, path])
            ours.append(s); theirs.append(p); ratios.append(p / s)
            print("  \(rows) rows, pair \(pair): symdetect \(String(s, decimals: 2)) s, peer \(String(p, decimals: 2)) s, ratio \(String(p / s, decimals: 2))")
        }
        let line = "\(rows) rows: symdetect median \(String(median(ours), decimals: 2)) s, peer median \(String(median(theirs), decimals: 2)) s, median ratio peer/symdetect \(String(median(ratios), decimals: 2)) (\(pairs) alternating pairs)"
        print(line)
        summary.append(line)
    }
    print("side-by-side summary:")
    for line in summary { print("  " + line) }
}

/// Wall time of one run (output discarded); a non-zero exit status is an error.
/// When a timed child process was reaped (written by its termination handler, read after it).
private final class EndTime: @unchecked Sendable {
    var seconds = 0.0
}

private func timedRun(_ command: [String]) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    // The end is taken in the termination handler (called when the child is reaped):
    // `waitUntilExit` polls its run loop in 50 ms steps on Linux, which rounded every time up.
    let finished = DispatchSemaphore(value: 0)
    let end = EndTime()
    process.terminationHandler = { _ in
        end.seconds = monotonicSeconds()
        finished.signal()
    }
    let start = monotonicSeconds()
    try process.run()
    finished.wait()
    process.waitUntilExit()
    let elapsed = end.seconds - start
    guard process.terminationStatus == 0 else {
        throw BenchmarkFailure(description: "\(command.joined(separator: " ")) exited with status \(process.terminationStatus)")
    }
    return elapsed
}

/// The synthetic well as CSV (header x,y,z,V; shortest round-trip decimals).
func writeWellCSV(_ table: SampleTable, to path: String) throws {
    var text = "x,y,z,V\n"
    text.reserveCapacity(table.count * 80)
    for i in 0..<table.count {
        text += "\(table.features[0][i]),\(table.features[1][i]),\(table.features[2][i]),\(table.labels[i])\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
