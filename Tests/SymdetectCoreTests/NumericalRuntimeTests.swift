import Foundation
import XCTest
@testable import SymdetectCore

/// The numerical runtime's process-wide settings: the same BLAS kernels on every machine that can
/// run them (so that reports are reproduced byte for byte across machines, as the golden reports
/// test checks), and one BLAS thread.
final class NumericalRuntimeTests: XCTestCase {
    /// The CPU's feature flags as the kernel reports them (Linux), or nil elsewhere.
    private static func cpuFlags() -> Set<String>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    func testBLASKernelsArePinnedToHaswellWhereTheCPUHasAVX2AndFMA() throws {
        #if arch(x86_64)
        let flags = try XCTUnwrap(Self.cpuFlags(), "no CPU flags in /proc/cpuinfo")
        try XCTSkipUnless(flags.contains("avx2") && flags.contains("fma"), "this CPU cannot run the Haswell kernels")
        XCTAssertEqual(NumericalRuntime.blasKernels, "Haswell")
        #else
        throw XCTSkip("the kernels are pinned on x86-64 only")
        #endif
    }

    /// With the kernels pinned, a blocked product still equals its definition to rounding (the
    /// kernels are swapped through OpenBLAS's own start-up path, parameters included).
    func testPinnedKernelsComputeTheGramMatrix() {
        NumericalRuntime.prepare()
        var rng = SeededGenerator(seed: 7)
        let rows = 3000, p = 37
        var a = [Double](repeating: 0, count: rows * p)
        for i in a.indices { a[i] = rng.uniform(-1, 1) }
        var gram = [Double](repeating: 0, count: p * p)
        a.withUnsafeBufferPointer { ab in
            gram.withUnsafeMutableBufferPointer { gb in
                BLASKernels.addGram(ab.baseAddress!, rows: rows, columns: p, lda: rows, into: gb.baseAddress!)
            }
        }
        for i in 0..<p {
            for j in i..<p {
                var s = 0.0, magnitude = 0.0
                for r in 0..<rows { s += a[i * rows + r] * a[j * rows + r]; magnitude += abs(a[i * rows + r] * a[j * rows + r]) }
                XCTAssertEqual(gram[i + j * p], s, accuracy: 1e-13 * magnitude, "(\(i), \(j))")
            }
        }
    }
}
