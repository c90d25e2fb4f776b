import XCTest
@testable import SymdetectCore

/// Verdicts rest on evidence (SPEC §2.6): the three situations a reviewer would reject, rebuilt
/// from data with known symmetry.
final class VerdictEvidenceTests: XCTestCase {
    /// A bent triatomic near its minimum in raw Cartesian coordinates (9 columns): every frame
    /// displaced at random and moved by a random rigid rotation and translation. The label is a
    /// function of the two bond lengths and the angle only (invariant under rigid motions, so the
    /// Hessian has six zero directions), with cubic anharmonicity.
    static func cartesianTriatomic(count: Int, seed: UInt64) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        let reference: [[Double]] = [[0, 0, 0], [0.96, 0, 0], [0.96 * cos(104.5 * .pi / 180), 0.96 * sin(104.5 * .pi / 180), 0]]
        var columns = [[Double]](repeating: [], count: 9)
        var labels: [Double] = []
        for _ in 0..<count {
            var atoms = reference.map { a in a.map { $0 + 0.04 * rng.nextGaussian() } }
            // A rigid rotation by up to ~10° about a random axis, and a translation.
            let axis = (0..<3).map { _ in rng.nextGaussian() }
            let n = axis.map { $0 * $0 }.reduce(0, +).squareRoot()
            let (ux, uy, uz) = (axis[0] / n, axis[1] / n, axis[2] / n)
            let angle = 0.17 * rng.uniform(-1, 1)
            let (c, s) = (cos(angle), sin(angle))
            let t = 1 - c
            let row0: [Double] = [c + ux * ux * t, ux * uy * t - uz * s, ux * uz * t + uy * s]
            let row1: [Double] = [uy * ux * t + uz * s, c + uy * uy * t, uy * uz * t - ux * s]
            let row2: [Double] = [uz * ux * t - uy * s, uz * uy * t + ux * s, c + uz * uz * t]
            let r = [row0, row1, row2]
            let shift = (0..<3).map { _ in 0.05 * rng.nextGaussian() }
            atoms = atoms.map { a -> [Double] in
                var moved = shift
                for i in 0..<3 { for j in 0..<3 { moved[i] += r[i][j] * a[j] } }
                return moved
            }
            for (k, a) in atoms.enumerated() { for i in 0..<3 { columns[3 * k + i].append(a[i]) } }
            func distance(_ p: [Double], _ q: [Double]) -> Double { zip(p, q).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
            let r1 = distance(atoms[0], atoms[1]), r2 = distance(atoms[0], atoms[2])
            var dot = 0.0
            for i in 0..<3 { dot += (atoms[1][i] - atoms[0][i]) * (atoms[2][i] - atoms[0][i]) }
            let cosTheta = dot / (r1 * r2)
            let theta = acos(min(1, max(-1, cosTheta)))
            let (d1, d2, dt) = (r1 - 0.96, r2 - 0.96, theta - 104.5 * .pi / 180)
            let harmonic = 40 * (d1 * d1 + d2 * d2) + 4 * dt * dt + 2 * d1 * d2
            labels.append(harmonic - 80 * (d1 * d1 * d1 + d2 * d2 * d2))
        }
        let names = ["O", "H1", "H2"].flatMap { atom in ["x", "y", "z"].map { "\(atom)_\($0)" } }
        return SampleTable(featureNames: names, labelName: "energy", features: columns, labels: labels)
    }

    func testCartesianCoordinatesGiveNoExactVerdictWithoutEvidence() throws {
        // Order 3 in 9 coordinates: 220 coefficients from 500 rows.
        let table = Self.cartesianTriatomic(count: 500, seed: 21)
        let r = try Analyzer.run(table, AnalysisConfiguration(fit: FitConfiguration(center: .auto, order: .fixed(3))))
        for op in r.operations where op.verdict == .exact {
            XCTAssertFalse(op.mirror.pValue == nil && !r.adequacy.adequate,
                           "\(op.name) is exact with \(op.mirror.usable) usable images and an inadequate model")
            XCTAssertNotNil(op.decidedBy, op.name)
        }
        // Reflecting one atom's coordinate changes the bond lengths: never exact.
        for name in ["reflect(O_x)", "reflect(H1_y)", "reflect(H2_z)"] {
            let op = try XCTUnwrap(r.operations.first { $0.name == name })
            XCTAssertNotEqual(op.verdict, .exact, "\(name): \(op.basis)")
        }
        // Inconclusive operations are never in the group or the recommendation, and say what would decide them.
        let inconclusive = r.operations.filter { $0.verdict == .inconclusive }
        for op in inconclusive {
            XCTAssertFalse(r.recommendation.operationNames.contains(op.name), op.name)
            XCTAssertFalse(r.group.generators.contains(op.name), op.name)
            XCTAssertEqual(op.basis, .noEvidence)
            if op.limitations.contains(where: { if case .mirrorCoverageTooLow = $0 { return true }; return false }) {
                XCTAssertNotNil(op.imageRegion, op.name)
            }
        }
        if !inconclusive.isEmpty {
            XCTAssertTrue(r.recommendation.caveats.contains(.inconclusiveLeftOut(operations: inconclusive.map(\.name))))
        }
        // The centre is never a stationary point outside the data: the three internal
        // coordinates are determined (a minimum); the six rigid motions are flat, up to one
        // whose fitted curvature (misfit of the cubic model, not physics) passes as significant.
        XCTAssertTrue(r.fit.center.insideData, "\(r.fit.center.kind)")
        XCTAssertEqual(r.fit.center.kind, .stationary(.minimum))
        XCTAssertTrue((5...6).contains(r.fit.center.flatDirections), "\(r.fit.center.flatDirections) flat directions")
        XCTAssertFalse(r.operations.contains { if case .reflectMode = $0.operation.kind { return true }; return false },
                       "no reflections along noise eigenvectors of flat directions")
        XCTAssertFalse(r.group.isTruncated, "no 'group of order 1024' from unfounded verdicts")
    }

    /// An exactly even function on an evenly spaced 41-point scan, the labels written with 12
    /// significant digits: any detectable breaking is rounding, far below the exactness tolerance.
    func testEvenScanIsExactWithNoCrossover() throws {
        let xs = (0...40).map { -1 + Double($0) / 20 }
        let ys = xs.map { x -> Double in
            let y = 1 + 3 * x * x - 0.7 * x * x * x * x + 0.1 * cos(3 * x)
            return Double(String(format: "%.12g", y))!
        }
        let table = SampleTable(featureNames: ["x"], labelName: "y", features: [xs], labels: ys)
        let r = try Analyzer.run(table, AnalysisConfiguration(fit: FitConfiguration(center: .origin, order: .fixed(6))))
        let op = try XCTUnwrap(r.operations.first { $0.name == "reflect(x)" })
        XCTAssertEqual(op.verdict, .exact, "\(op.basis)")
        XCTAssertNil(op.crossoverN)
        XCTAssertEqual(r.group.order, 2)
        XCTAssertEqual(r.recommendation.operationNames, ["reflect(x)"])
        XCTAssertEqual(r.recommendation.scheme, .naive)
        XCTAssertEqual(r.recommendation.gainFactor, 2)
        XCTAssertNil(r.recommendation.crossoverN)
        XCTAssertEqual(r.recommendation.floor, 0)
        // The resolution of 12 significant digits of labels near 1–4: half of 1e-11.
        let resolution = try XCTUnwrap(r.labelResolution)
        XCTAssertEqual(resolution, 5e-12, accuracy: 1e-15)
        XCTAssertGreaterThanOrEqual(r.exactTolerance, resolution)
    }

    /// A label symmetric under r1 ↔ r2 in internal coordinates (r1, r2, θ), with the two
    /// stretches coupled (so the Hessian's modes are the symmetric and antisymmetric
    /// combinations): the swap is exact and recommended with `naive`, and the reflection along the
    /// antisymmetric mode — the same operation — is not tested as a separate one.
    func testSwapIsRecommendedAloneWithNaive() throws {
        var rng = SeededGenerator(seed: 31)
        var r1: [Double] = [], r2: [Double] = [], th: [Double] = [], v: [Double] = []
        for _ in 0..<600 {
            let (a, b, t) = (rng.uniform(-0.15, 0.15), rng.uniform(-0.15, 0.15), rng.uniform(-0.3, 0.3))
            r1.append(0.96 + a); r2.append(0.96 + b); th.append(1.82 + t)
            let harmonic = 8 * (a * a + b * b) + 0.9 * a * b + 0.7 * t * t + 0.4 * (a + b) * t
            let cubic = -9 * (a * a * a + b * b * b) + 0.3 * t * t * t
            v.append(harmonic + cubic + 1e-4 * rng.nextGaussian())
        }
        let table = SampleTable(featureNames: ["r1", "r2", "theta"], labelName: "V", features: [r1, r2, th], labels: v)
        let r = try Analyzer.run(table, AnalysisConfiguration())
        let swap = try XCTUnwrap(r.operations.first { $0.name == "swap(r1,r2)" })
        XCTAssertEqual(swap.verdict, .exact, "\(swap.basis)")
        XCTAssertTrue(r.recommendation.operationNames.contains("swap(r1,r2)"))
        if r.recommendation.operations.allSatisfy({ op in r.operations.first { $0.name == op.name }?.verdict == .exact }) {
            XCTAssertEqual(r.recommendation.scheme, .naive, "exact operations only: no correction")
        }
        // No mode reflection duplicates the swap.
        for op in r.operations {
            guard case .reflectMode = op.operation.kind else { continue }
            XCTAssertGreaterThan(op.operation.matrix.maxAbsDifference(swap.operation.matrix), 1e-6, "\(op.name) duplicates the swap")
        }
        XCTAssertTrue(r.coincidentOperations.contains { $0.sameAs == "swap(r1,r2)" }, "\(r.coincidentOperations)")
        XCTAssertFalse(r.group.isTruncated)
    }

    /// Significant digits of a label as its shortest round-trip decimal writes them (counted
    /// by hand from the decimal text; Swift prints these values exactly so).
    func testSignificantDigitsOfLabels() {
        let cases: [(Double, Int)] = [
            (1234.5, 5), (1.5e-07, 2), (0.0012, 2), (100, 1), (1e300, 1), (-0.5, 1), (7, 1),
            (0.1 + 0.2, 17), (123_456_789_012_345, 15), (2.5e-320, 2), (1.0000000000000002, 17), (120.05, 5),
        ]
        for (y, digits) in cases { XCTAssertEqual(LabelResolution.significantDigits(y), digits, "\(y)") }
        // Half a unit in the last of 12 significant digits of labels near 1–4 (largest 3.5).
        XCTAssertEqual(LabelResolution.estimate([1.23456789012, 3.5, 2.25])!, 5e-12, accuracy: 1e-24)
        XCTAssertNil(LabelResolution.estimate([0, 0]))
    }
}
