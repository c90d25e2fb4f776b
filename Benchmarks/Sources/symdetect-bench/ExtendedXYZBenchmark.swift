#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SymdetectCore

/// Reads a generated extended-XYZ trajectory several times and reports the frames per second and
/// MB/s of `ExtendedXYZReader.read`.
func runExtendedXYZBenchmark(_ arguments: BenchmarkArguments) throws {
    let frameCount = arguments.integer("frames", default: 100_000)
    let repeats = arguments.integer("repeat", default: 3)
    let path = try generatedExtendedXYZ(frames: frameCount)
    var info = stat()
    guard stat(path, &info) == 0 else { throw BenchmarkFailure(description: "cannot stat \(path)") }
    let megabytes = Double(info.st_size) / 1e6
    print("xyz: \(path): \(frameCount) frames x 4 atoms (positions and forces), \(String(megabytes, decimals: 1)) MB")

    var rates: [Double] = []
    var throughputs: [Double] = []
    for run in 1 ... repeats {
        let start = monotonicSeconds()
        let frames = try ExtendedXYZReader.read(path: path)
        let seconds = monotonicSeconds() - start
        guard frames.frameCount == frameCount, frames.atomCount == 4, frames.forces != nil else {
            throw BenchmarkFailure(description: "read \(frames.frameCount) frames x \(frames.atomCount) atoms, expected \(frameCount) x 4 with forces")
        }
        rates.append(Double(frameCount) / seconds)
        throughputs.append(megabytes / seconds)
        print("  run \(run): \(String(seconds, decimals: 3)) s, \(Int((Double(frameCount) / seconds).rounded())) frames/s,"
              + " \(String(megabytes / seconds, decimals: 1)) MB/s")
    }
    print("xyz: best \(Int(rates.max()!.rounded())) frames/s (\(String(throughputs.max()!, decimals: 1)) MB/s),"
          + " median \(Int(median(rates).rounded())) frames/s")
}

/// A trajectory of formaldehyde (C, O, H, H) as ASE writes it: `Properties=species:S:1:pos:R:3:forces:R:3`,
/// a 17-digit energy, two info keys and `pbc="F F F"` on each comment line; positions and forces
/// in ASE's `%16.8f`. Generated once per frame count into the temporary directory.
private func generatedExtendedXYZ(frames: Int) throws -> String {
    let directory = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/symdetect-bench"
    mkdir(directory, 0o755)
    let path = "\(directory)/formaldehyde-\(frames).extxyz"
    if access(path, R_OK) == 0 { return path }

    print("xyz: generating \(path) ...")
    let partial = path + ".partial.\(getpid())"
    guard let file = fopen(partial, "wb") else { throw BenchmarkFailure(description: "cannot create \(partial)") }
    var generator = SplitMix64(seed: 20_261_202)
    let reference: [(String, Double, Double, Double)] = [
        ("C", 0, 0, -0.5296), ("O", 0, 0, 0.6744), ("H", 0, 0.9349, -1.1087), ("H", 0, -0.9349, -1.1087),
    ]
    var text = ""
    text.reserveCapacity(1 << 16)
    /// `%16.8f`.
    func fixed(_ value: Double) -> String {
        let scaled = Int64((abs(value) * 1e8).rounded())
        let fraction = String(scaled % 100_000_000)
        let body = (value < 0 && scaled != 0 ? "-" : "") + "\(scaled / 100_000_000)."
            + String(repeating: "0", count: 8 - fraction.count) + fraction
        return String(repeating: " ", count: max(0, 16 - body.count)) + body
    }
    for frame in 0 ..< frames {
        let energy = -3125.0 + Double.random(in: -1 ... 1, using: &generator)
        text += "4\nProperties=species:S:1:pos:R:3:forces:R:3 config_type=\"md run\" step=\(frame) energy=\(energy) pbc=\"F F F\"\n"
        for (symbol, x, y, z) in reference {
            text += symbol + "       "
            for value in [x, y, z] { text += fixed(value + Double.random(in: -0.05 ... 0.05, using: &generator)) }
            for _ in 0 ..< 3 { text += fixed(Double.random(in: -2 ... 2, using: &generator)) }
            text += "\n"
        }
        if text.utf8.count > (1 << 16) - 1024 {
            fputs(text, file)
            text.removeAll(keepingCapacity: true)
        }
    }
    fputs(text, file)
    guard fclose(file) == 0, rename(partial, path) == 0 else {
        throw BenchmarkFailure(description: "cannot write \(path)")
    }
    return path
}
