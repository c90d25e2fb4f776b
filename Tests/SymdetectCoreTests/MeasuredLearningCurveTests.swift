import Foundation
import XCTest
@testable import SymdetectCore

/// `analyze`'s measured learning curve (SPEC §2.8): the gains and crossovers rest on the a, b
/// measured on the data, and the crossover N* solves its defining equation e_aug(N*) = e(N*).
final class MeasuredLearningCurveTests: XCTestCase {
    /// Water (examples/water.csv) with a target error of 200 cm⁻¹, at which the reflections of
    /// q1 and q2 are approximate. The measured slope comes with a standard error; each
    /// approximate reflection's N* is the hand-computed
    /// N* = (a²·(1 − 2^(−2b)) / f²)^(1/(2b)) from the measured a, b and its floor f, and
    /// it satisfies a·N*^(−b) = √((a·(2N*)^(−b))² + f²) to 1e-9 relative.
    func testWaterCrossoversFollowTheMeasuredCurve() throws {
        let table = try WaterDataset.table()
        var configuration = AnalysisConfiguration(operations: ["reflect(q1)", "reflect(q2)", "reflect(q3)"].map { try! OperationSpec(parsing: $0) },
                                                  onlyListedOperations: true, targetError: 200)
        let assumed = try Analyzer.run(table, configuration)
        configuration.learningCurvePlan = .quick
        let r = try Analyzer.run(table, configuration)

        let m = try XCTUnwrap(r.measuredLearningCurve)
        XCTAssertNil(r.learningCurveShortfall)
        let fit = try XCTUnwrap(m.fit)
        let se = try XCTUnwrap(fit.slopeStandardError)
        XCTAssertTrue(se > 0 && se < fit.slope, "b = \(fit.slope) ± \(se)")
        // A smooth surface in three coordinates: kernel ridge learns it much faster than N^(−1/2).
        XCTAssertGreaterThan(fit.slope, 1)
        XCTAssertEqual(m.sizes, [16, 32, 64, 128, 256])
        XCTAssertEqual(r.learningCurve.slope, fit.slope)
        XCTAssertEqual(r.learningCurve.prefactor, fit.prefactor)

        let (a, b) = (fit.prefactor, fit.slope)
        var checked = 0
        for name in ["reflect(q1)", "reflect(q2)"] {
            let op = try XCTUnwrap(r.operations.first { $0.name == name })
            XCTAssertEqual(op.verdict, .approximate, name)
            let f = try XCTUnwrap(op.bestFloor)
            let hand = pow(a * a * (1 - pow(2, -2 * b)) / (f * f), 1 / (2 * b))
            let n = try XCTUnwrap(op.crossoverN, name)
            XCTAssertEqual(n, hand, accuracy: 1e-9 * hand, name)
            let e = a * pow(n, -b), eAug = (pow(a * pow(2 * n, -b), 2) + f * f).squareRoot()
            XCTAssertEqual(e, eAug, accuracy: 1e-9 * e, name)
            // With the assumed curve (b = 0.5, a = sd of the labels) N* is elsewhere.
            let before = try XCTUnwrap(assumed.operations.first { $0.name == name }?.crossoverN)
            XCTAssertGreaterThan(abs(log(before / n)), log(2.0), "\(name): N* \(before) assumed, \(n) measured")
            checked += 1
        }
        XCTAssertEqual(checked, 2)
        // The recommendation's N* is that of its group order and floor on the same curve.
        let rec = r.recommendation
        let g = Double(try XCTUnwrap(rec.gainFactor))
        let nRec = try XCTUnwrap(rec.crossoverN)
        XCTAssertEqual(nRec, pow(a * a * (1 - pow(g, -2 * b)) / (rec.floor * rec.floor), 1 / (2 * b)), accuracy: 1e-9 * nRec)
        // Verdicts and choices do not depend on the curve.
        XCTAssertEqual(r.operations.map(\.verdict), assumed.operations.map(\.verdict))
        XCTAssertEqual(rec.operationNames, assumed.recommendation.operationNames)
        XCTAssertEqual(m.recommended?.operations, rec.operationNames)
    }

    /// An exactly symmetric density (the 3d_xy orbital about the nucleus, 1500 samples) augmented
    /// with reflect(z) and swap(x,y), a group of order 4: the measured gain at the largest
    /// augmented N (512: 4 × 512 = 2048 training rows; the baseline is measured up to 1024) is
    /// more than 1 (augmentation helps) and at most |G| = 4 (up to the scatter of three splits, 10 %).
    func testExactDensityGainIsBetweenOneAndGroupOrder() throws {
        let table = HydrogenOrbital.d3xy.samples(count: 1500, seed: 7)
        var configuration = AnalysisConfiguration(fit: FitConfiguration(center: .origin, order: .fixed(4)),
                                                  operations: ["reflect(z)", "swap(x,y)"].map { try! OperationSpec(parsing: $0) },
                                                  onlyListedOperations: true)
        configuration.learningCurvePlan = .quick
        let r = try Analyzer.run(table, configuration)
        XCTAssertEqual(r.operations.map(\.verdict), [.exact, .exact])
        let m = try XCTUnwrap(r.measuredLearningCurve)
        let rec = try XCTUnwrap(m.recommended)
        XCTAssertEqual(rec.groupOrder, 4)
        let gain = try XCTUnwrap(rec.gainAtLargestN)
        XCTAssertEqual(gain.n, 512)
        XCTAssertGreaterThan(gain.gain, 1)
        XCTAssertLessThanOrEqual(gain.gain, 4 * 1.1)
    }

    /// The rows drawn for the measurement are distinct, sorted, in range and seeded.
    func testDrawnRowsAreDistinctAndSeeded() {
        let rows = MeasuredLearningCurve.draw(500, of: 1_000_000, seed: 3)
        XCTAssertEqual(rows.count, 500)
        XCTAssertEqual(Set(rows).count, 500)
        XCTAssertEqual(rows, rows.sorted())
        XCTAssertTrue(rows.allSatisfy { $0 >= 0 && $0 < 1_000_000 })
        XCTAssertEqual(rows, MeasuredLearningCurve.draw(500, of: 1_000_000, seed: 3))
        XCTAssertNotEqual(rows, MeasuredLearningCurve.draw(500, of: 1_000_000, seed: 4))
        XCTAssertEqual(MeasuredLearningCurve.draw(10, of: 10, seed: 1), Array(0..<10))
    }

    /// Too few rows for three doubling sizes: no measurement, the assumed curve, and why.
    func testTooFewRowsFallBackToTheAssumedCurve() throws {
        let table = HydrogenOrbital.d3xy.samples(count: 60, seed: 7)
        var configuration = AnalysisConfiguration(fit: FitConfiguration(center: .origin, order: .fixed(2)),
                                                  operations: ["reflect(z)"].map { try! OperationSpec(parsing: $0) },
                                                  onlyListedOperations: true)
        configuration.learningCurvePlan = .quick
        let r = try Analyzer.run(table, configuration)
        XCTAssertNil(r.measuredLearningCurve)
        XCTAssertEqual(r.learningCurveShortfall, .tooFewRows(rows: 60, available: 40))
        XCTAssertEqual(r.learningCurve.slope, AnalysisConfiguration.assumedSlope)
    }
}
