#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import SymdetectCore
import SymdetectReport

/// Reads a generated numeric CSV (or `--file PATH`) several times and reports the throughput of
/// `CSVReader.read`, with the process CPU time (user + sys) of each run. With `--sha256` the file's
/// SHA-256 is computed on another thread meanwhile, as `symdetect analyze` does: the time is then
/// that of the whole read stage (both done).
func runCSVBenchmark(_ arguments: BenchmarkArguments) throws {
    let repeats = arguments.integer("repeat", default: 3)
    let file = arguments.string("file", default: "")
    let withDigest = arguments.flag("sha256")
    let rows = file.isEmpty ? arguments.integer("rows", default: 1_200_000) : nil
    let path = try file.isEmpty ? generatedCSV(rows: rows!) : file
    var info = stat()
    guard stat(path, &info) == 0 else { throw BenchmarkFailure(description: "cannot stat \(path)") }
    let megabytes = Double(info.st_size) / 1e6
    print("csv: \(path): \(rows.map { "\($0) rows x 4 columns, " } ?? "")\(String(megabytes, decimals: 1)) MB"
          + (withDigest ? ", with SHA-256 alongside" : ""))

    var rates: [Double] = []
    var times: [Double] = []
    for run in 1 ... repeats {
        let cpuStart = processCPUSeconds()
        let start = monotonicSeconds()
        let digest = withDigest ? InputDigest(path: path) : nil
        let table = try CSVReader.read(path: path)
        let digestText = digest?.value
        let seconds = monotonicSeconds() - start
        let cpu = processCPUSeconds() - cpuStart
        if let rows, table.count != rows || table.dimension != 3 {
            throw BenchmarkFailure(description: "read \(table.count) rows x \(table.dimension) features, expected \(rows) x 3")
        }
        if withDigest && digestText == nil { throw BenchmarkFailure(description: "cannot hash \(path)") }
        rates.append(megabytes / seconds)
        times.append(seconds)
        print("  run \(run): \(String(seconds, decimals: 3)) s, \(String(megabytes / seconds, decimals: 1)) MB/s,"
              + " CPU \(String(cpu, decimals: 3)) s")
    }
    print("csv: best \(String(rates.max()!, decimals: 1)) MB/s, median \(String(median(rates), decimals: 1)) MB/s"
          + " (best \(String(times.min()!, decimals: 3)) s, median \(String(median(times), decimals: 3)) s)")
}

/// A CSV of `rows` rows with header `x,y,z,E`, every cell a 17-significant-digit decimal (fixed
/// notation for x, y, z; scientific for E), generated once per row count into the temporary
/// directory and reused by later runs.
private func generatedCSV(rows: Int) throws -> String {
    let directory = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/symdetect-bench"
    mkdir(directory, 0o755)
    let path = "\(directory)/numeric-\(rows)x4.csv"
    if access(path, R_OK) == 0 { return path }

    print("csv: generating \(path) ...")
    let partial = path + ".partial.\(getpid())"
    guard let file = fopen(partial, "wb") else { throw BenchmarkFailure(description: "cannot create \(partial)") }
    var generator = SplitMix64(seed: 20_240_601)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    buffer.append(contentsOf: Array("x,y,z,E\n".utf8))
    for _ in 0 ..< rows {
        for column in 0 ..< 4 {
            appendSeventeenDigits(to: &buffer, scientific: column == 3, using: &generator)
            buffer.append(column == 3 ? UInt8(ascii: "\n") : UInt8(ascii: ","))
        }
        if buffer.count > (1 << 20) - 128 {
            fwrite(buffer, 1, buffer.count, file)
            buffer.removeAll(keepingCapacity: true)
        }
    }
    fwrite(buffer, 1, buffer.count, file)
    guard fclose(file) == 0, rename(partial, path) == 0 else {
        throw BenchmarkFailure(description: "cannot write \(path)")
    }
    return path
}

/// A random signed decimal with exactly 17 significant digits: `-d.dddddddddddddddd` with the point
/// after the first 1–3 digits, or `d.dddddddddddddddde-0k` in scientific notation.
private func appendSeventeenDigits(to buffer: inout [UInt8], scientific: Bool, using generator: inout SplitMix64) {
    let digits = UInt64.random(in: 10_000_000_000_000_000 ..< 100_000_000_000_000_000, using: &generator)
    var text = Array(String(digits).utf8)
    if generator.next() & 1 == 0 { buffer.append(UInt8(ascii: "-")) }
    let pointAfter = scientific ? 1 : Int(generator.next() % 3) + 1
    text.insert(UInt8(ascii: "."), at: pointAfter)
    buffer.append(contentsOf: text)
    if scientific {
        buffer.append(contentsOf: Array("e-0".utf8))
        buffer.append(UInt8(ascii: "0") + UInt8(generator.next() % 10))
    }
}

extension String {
    /// `value` in fixed notation with `decimals` digits after the point.
    init(_ value: Double, decimals: Int) {
        var scale = 1.0
        for _ in 0 ..< decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let point = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: point)...].count
            if fraction < decimals { text += String(repeating: "0", count: decimals - fraction) }
        }
        self = text
    }
}
