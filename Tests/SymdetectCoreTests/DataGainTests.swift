import Foundation
import XCTest
@testable import SymdetectCore

/// The measured data gain against closed forms: on an exact power law e(N) = a·N^(−b), log–log
/// interpolation is exact, so an augmented curve a·(gN)^(−b) must give the gain g at every size,
/// and a floored curve sqrt((a(gN)^(−b))² + f²) the gain (a/e)^(1/b)/N.
final class DataGainTests: XCTestCase {
    let a = 0.02, b = 0.8
    let sizes = [16, 32, 64, 128, 256, 512, 1024]
    func baseline(_ n: Double) -> Double { a * pow(n, -b) }
    var curve: BaselineCurve { BaselineCurve(sizes: sizes, errors: sizes.map { baseline(Double($0)) }, slope: b) }

    func testExactGroupOnAPowerLawGivesItsOrder() throws {
        for g in [2.0, 4.0, 8.0] {
            for n in [16, 32, 64, 128] {
                let m = try XCTUnwrap(curve.gain(n: n, error: baseline(g * Double(n))))
                XCTAssertEqual(m.gain, g, accuracy: 1e-12 * g, "g = \(g), N = \(n)")
                XCTAssertEqual(m.equivalentBaselineN, g * Double(n), accuracy: 1e-9 * g * Double(n))
                XCTAssertEqual(m.extrapolated, g * Double(n) > 1024)
            }
        }
        // Beyond the largest size the curve is continued with its slope: still exact here.
        let far = try XCTUnwrap(curve.gain(n: 512, error: baseline(8 * 512)))
        XCTAssertTrue(far.extrapolated)
        XCTAssertEqual(far.gain, 8, accuracy: 1e-9)
        // Worse than the smallest size: continued backwards, gain below 1.
        let worse = try XCTUnwrap(curve.gain(n: 16, error: baseline(4)))
        XCTAssertTrue(worse.extrapolated)
        XCTAssertEqual(worse.gain, 0.25, accuracy: 1e-12)
    }

    func testFlooredCurveLosesItsGainPastTheCrossover() throws {
        let g = 2.0, f = baseline(300)
        for n in [16, 32, 64, 128, 256, 512] {
            let e = (pow(baseline(g * Double(n)), 2) + f * f).squareRoot()
            let expected = pow(a / e, 1 / b) / Double(n)
            let m = try XCTUnwrap(curve.gain(n: n, error: e))
            XCTAssertEqual(m.gain, expected, accuracy: 1e-10 * expected, "N = \(n)")
        }
        // e_aug(N*) = e(N*) at the crossover: the gain there is 1.
        // (a·N^(−b))² = (a·(gN)^(−b))² + f² ⇒ N* = ((a² (1 − g^(−2b)))/f²)^(1/(2b)).
        let crossover = pow(a * a * (1 - pow(g, -2 * b)) / (f * f), 1 / (2 * b))
        let n = Int(crossover.rounded())
        let e = (pow(baseline(g * Double(n)), 2) + f * f).squareRoot()
        XCTAssertEqual(try XCTUnwrap(curve.gain(n: n, error: e)).gain, 1, accuracy: 0.01)
    }

    func testInterpolatesBetweenMeasuredPointsOfAnIrregularCurve() throws {
        // Log–log linear between (100, 1e-2) and (400, 1e-3): e = 10^(−2.5) is reached at 200.
        let irregular = BaselineCurve(sizes: [400, 100, 800], errors: [1e-3, 1e-2, 2e-3], slope: nil)
        XCTAssertEqual(irregular.sizes, [100, 400, 800], "sorted by size")
        let m = try XCTUnwrap(irregular.equivalentSize(error: pow(10, -2.5)))
        XCTAssertEqual(m.size, 200, accuracy: 1e-9)
        XCTAssertFalse(m.extrapolated)
        // Below every measured error: continued from the lowest point (400) with the slope of
        // the segment before it, b = ln 10 / ln 4, so a tenfold lower error needs 4 × 400.
        let below = try XCTUnwrap(irregular.equivalentSize(error: 1e-4))
        XCTAssertEqual(below.size, 1600, accuracy: 1e-9)
        XCTAssertTrue(below.extrapolated)
        // A curve that steepens (slope 1, then 2) is continued with its last slope, not the
        // fitted one: a fourfold lower error needs twice the size.
        let steepening = BaselineCurve(sizes: [100, 200, 400], errors: [1, 0.5, 0.125], slope: 0.5)
        XCTAssertEqual(try XCTUnwrap(steepening.equivalentSize(error: 0.125 / 4)).size, 800, accuracy: 1e-9)
        // An end segment that rises falls back on the fitted slope; with none, unknown.
        let rising = BaselineCurve(sizes: [100, 200], errors: [0.1, 0.2], slope: 0.5)
        XCTAssertEqual(try XCTUnwrap(rising.equivalentSize(error: 0.025)).size, 1600, accuracy: 1e-9)
        XCTAssertNil(BaselineCurve(sizes: [100, 200], errors: [0.1, 0.2], slope: nil).equivalentSize(error: 0.025))
        XCTAssertNil(BaselineCurve(sizes: [100], errors: [0.1], slope: nil).equivalentSize(error: 0.05))
        XCTAssertNil(irregular.gain(n: 10, error: nil))
        XCTAssertNil(curve.equivalentSize(error: .nan))
        XCTAssertNil(curve.equivalentSize(error: 0))
        // Skipped sizes and non-positive slopes are dropped.
        let sparse = BaselineCurve(sizes: [16, 32, 64], errors: [1, nil, 0.25], slope: -1)
        XCTAssertEqual(sparse.sizes, [16, 64])
        XCTAssertNil(sparse.slope)
    }

    func testSummaryTakesTheGeometricMeanOfInterpolatedGains() throws {
        let summary = GainSummary(scheme: "naive", groupOrder: 8, perSize: [
            MeasuredGain(n: 16, equivalentBaselineN: 32, gain: 2, extrapolated: false),
            MeasuredGain(n: 32, equivalentBaselineN: 256, gain: 8, extrapolated: false),
            MeasuredGain(n: 64, equivalentBaselineN: 6400, gain: 100, extrapolated: true),
        ])
        XCTAssertEqual(try XCTUnwrap(summary.typicalGain), 4, accuracy: 1e-12)
        XCTAssertEqual(summary.gain(at: 32)?.gain, 8)
        XCTAssertNil(GainSummary(scheme: "naive", groupOrder: 2, perSize: []).typicalGain)
        let data = try JSONEncoder().encode(GainSummary(scheme: "naive", groupOrder: 2, perSize: []))
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"typicalGain\":null"))
    }
}
