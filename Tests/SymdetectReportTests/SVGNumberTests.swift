import Foundation
import SymdetectCore
import XCTest
@testable import SymdetectReport

/// SVG coordinates are printf's "%.2f" with trailing zeros trimmed; `SVGDocument.number` rounds
/// without String(format:). The C library's printf is the oracle here.
final class SVGNumberTests: XCTestCase {
    /// printf("%.2f") trimmed as the figures have always written it.
    private func oracle(_ x: Double) -> String {
        var t = Substring(String(format: "%.2f", x))
        if t.contains(".") {
            while t.hasSuffix("0") { t = t.dropLast() }
            if t.hasSuffix(".") { t = t.dropLast() }
        }
        return t == "-0" ? "0" : String(t)
    }

    func testExactTiesRoundToEvenAsPrintfDoes() {
        // k/8 are exact binary values: x·100 ends in .5 exactly for odd k ≡ ±1, ±3 (mod 8) … ties.
        for k in -400...400 {
            let x = Double(k) / 8
            XCTAssertEqual(SVGDocument.number(x), oracle(x), "x = \(x)")
        }
        XCTAssertEqual(SVGDocument.number(0.125), "0.12")   // tie, even below
        XCTAssertEqual(SVGDocument.number(0.375), "0.38")   // tie, even above
        XCTAssertEqual(SVGDocument.number(-0.625), "-0.62")
    }

    func testDecimalsThatAreNotExactInBinary() {
        // 0.005, 1.005, 2.675 … lie just above or below the tie in binary: printf sees which.
        for text in ["0.005", "0.015", "1.005", "2.675", "1.115", "-1.005", "-2.675", "99.995", "-0.004999", "0.0049999999999999999"] {
            let x = Double(text)!
            XCTAssertEqual(SVGDocument.number(x), oracle(x), text)
        }
        XCTAssertEqual(SVGDocument.number(-0.0), "0")
        XCTAssertEqual(SVGDocument.number(12.5), "12.5")
        XCTAssertEqual(SVGDocument.number(-7), "-7")
        XCTAssertEqual(SVGDocument.number(3.05), oracle(3.05))
    }

    func testRandomValuesOfEveryMagnitude() {
        var rng = SeededGenerator(seed: 2026)
        for _ in 0..<20_000 {
            let magnitude = pow(10, rng.uniform(-4, 13))
            let x = (rng.uniform(0, 1) < 0.5 ? -1 : 1) * magnitude * rng.uniform(0, 1)
            XCTAssertEqual(SVGDocument.number(x), oracle(x), "x = \(x)")
            // Values on the 0.005 grid, perturbed by a few ulps: the hardest cases for rounding.
            let grid = (x * 200).rounded() / 200
            for ulps in -2...2 {
                var v = grid
                if ulps < 0 { for _ in 0 ..< -ulps { v = v.nextDown } } else { for _ in 0..<ulps { v = v.nextUp } }
                XCTAssertEqual(SVGDocument.number(v), oracle(v), "x = \(v)")
            }
        }
    }

    func testValuesBeyondTheFastPathAndNonFinite() {
        for x in [1e14, -3.3e15, 1e300, .infinity, -.infinity, .nan, 0x1p50 / 100 * 4.5] {
            XCTAssertEqual(SVGDocument.number(x), oracle(x), "x = \(x)")
        }
    }
}
