import Foundation
import XCTest
@testable import SymdetectCore

/// Size and power of the verdict rule across data shapes (SPEC §5, issue 9 item 3).
///
/// *Size*: on data exactly invariant under the tested operation (plus noise or rounding), the
/// fraction of seeded repetitions in which it is called broken (`approximate` or `absent`) must
/// stay ≤ 2α; `inconclusive` is no false claim, but it must stay rare where the data can decide.
/// *Power*: with a breaking whose naive floor (RMS of the antisymmetric part, label units) is
/// `breakingOverTolerance` times the exactness tolerance, the fraction of repetitions in which
/// it IS detected (verdict `approximate` or `absent`) must be ≥ 90 %.
///
/// Every run also checks SPEC §5's "no verdict of `exact` rests on zero coverage and an
/// inadequate model".
final class CalibrationTests: XCTestCase {
    /// Family-wise level of the analysis; the size bound is 2α.
    static let alpha = 0.05
    /// SPEC §2.6: the default exactness tolerance is this fraction of the target error.
    static let exactToleranceFraction = 1e-3
    /// The power tests' breaking, in units of the exactness tolerance (issue 9's acceptance).
    static let breakingOverTolerance = 10.0
    static let sizeRepetitions = 60
    static let powerRepetitions = 20

    /// A shape with the exactness tolerance its power test is stated against.
    struct Case {
        let shape: DataShape
        /// Exactness tolerance τ in label units. The target error is τ / exactToleranceFraction
        /// (the default relation), and the power tests break the symmetry by
        /// breakingOverTolerance · τ. For noisy shapes τ = 2.5·σ/√(N − p), tied to the noise's
        /// resolution (a breaking far below it cannot be detected by any test: the power tests'
        /// breaking floor is then 25·σ/√(N − p)); for noise-free
        /// shapes it is the default, 10⁻³ × (1 % of the label's spread).
        let tolerance: Double
        var targetError: Double { tolerance / CalibrationTests.exactToleranceFraction }
        var breakingFloor: Double { CalibrationTests.breakingOverTolerance * tolerance }
    }

    /// τ = 2.5·σ/√(N − p): the noise's resolution with the residual degrees of freedom of a
    /// model of p coefficients (the default order 4 unless the shape fixes another).
    static func noisyCase(_ shape: DataShape, rows: Int, resolutions: Double = 2.5) -> Case {
        let order: Int
        if case let .fixed(k) = shape.fit.order { order = k } else { order = 4 }
        let p = MultiIndex.count(dimension: shape.featureNames.count, order: order)
        return Case(shape: shape, tolerance: resolutions * shape.noise / Double(max(rows - p, 1)).squareRoot())
    }

    static func noiseFreeCase(_ shape: DataShape) -> Case {
        Case(shape: shape, tolerance: exactToleranceFraction * 0.01 * shape.labelSpread(seed: 0))
    }

    /// The configuration of one run: only the shape's operation, its target error and (once
    /// the verdict rule has it) its exactness tolerance.
    static func configuration(_ c: Case) -> AnalysisConfiguration {
        AnalysisConfiguration(fit: c.shape.fit, operations: [try! OperationSpec(parsing: c.shape.operation)],
                              onlyListedOperations: true, alpha: alpha, targetError: c.targetError,
                              exactTolerance: c.tolerance)
    }

    struct Rate: CustomStringConvertible {
        var hits = 0
        var runs = 0
        var verdicts: [Verdict: Int] = [:]
        var decidedBy: [String: Int] = [:]
        var inadequate = 0
        var coverage: [Double] = []
        var noEvidenceExact: [String] = []
        /// For each run called broken: seed, deciding test and both raw p-values.
        var brokenRuns: [String] = []
        var fraction: Double { runs > 0 ? Double(hits) / Double(runs) : .nan }
        var description: String {
            let v = verdicts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            let d = decidedBy.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let cov = coverage.isEmpty ? "-" : String(format: "%.2f", coverage.reduce(0, +) / Double(coverage.count))
            return "\(hits)/\(runs) = \(String(format: "%.3f", fraction)) [verdicts: \(v); decided by: \(d); model inadequate in \(inadequate); mean coverage \(cov)]"
        }
    }

    /// Runs one seeded data set per seed (concurrently; each run is deterministic) and counts
    /// the runs whose operation is called broken (`approximate` or `absent`).
    static func notExactRate(_ c: Case, breakingFloor: Double, seeds: Range<UInt64>) throws -> Rate {
        let seedList = Array(seeds)
        let outcomes = Outcomes(count: seedList.count)
        DispatchQueue.concurrentPerform(iterations: seedList.count) { k in
            let table = c.shape.table(seed: seedList[k], breakingFloor: breakingFloor)
            outcomes.set(k, Result { try Analyzer.run(table, configuration(c)) })
        }
        var rate = Rate()
        for (seed, outcome) in zip(seedList, outcomes.values) {
            let result = try outcome!.get()
            let op = result.operations.first { $0.name == c.shape.operation }!
            rate.runs += 1
            if op.verdict == .approximate || op.verdict == .absent {
                rate.hits += 1
                let f = { (x: Double?) in x.map { String(format: "%.2g", $0) } ?? "-" }
                rate.brokenRuns.append("seed \(seed) \(op.decidedBy?.rawValue ?? "none") pT \(f(op.taylor.pValue)) pM \(f(op.mirror.pValue)) centre \(result.fit.fit.center.map { String(format: "%.3f", $0) })")
            }
            rate.verdicts[op.verdict, default: 0] += 1
            rate.decidedBy[op.decidedBy?.rawValue ?? "none", default: 0] += 1
            if !result.adequacy.adequate { rate.inadequate += 1 }
            rate.coverage.append(op.coverage)
            rate.noEvidenceExact += noEvidenceExactVerdicts(result).map { "seed \(seed): \($0)" }
        }
        return rate
    }

    /// Results of concurrent runs, stored by index.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Result<AnalysisResult, Error>?]
        init(count: Int) { stored = Array(repeating: nil, count: count) }
        func set(_ k: Int, _ value: Result<AnalysisResult, Error>) { lock.lock(); stored[k] = value; lock.unlock() }
        var values: [Result<AnalysisResult, Error>?] { lock.lock(); defer { lock.unlock() }; return stored }
    }

    /// Operations called `exact` although the mirror test could not speak (fewer usable images
    /// than it needs, so no p-value: "zero coverage") and the Taylor model is inadequate
    /// (SPEC §5: never allowed; SPEC §2.6 makes them `inconclusive`).
    static func noEvidenceExactVerdicts(_ result: AnalysisResult) -> [String] {
        guard !result.adequacy.adequate else { return [] }
        return result.operations.filter { $0.verdict == .exact && $0.mirror.pValue == nil }
            .map { "\($0.name) (\($0.mirror.usable) usable images)" }
    }

    // MARK: Size and power per shape

    func checkSize(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = Self.sizeRepetitions
        let rate = try Self.notExactRate(c, breakingFloor: 0, seeds: 1000..<UInt64(1000 + n))
        print("CALIBRATION size  | \(c.shape.name) | \(c.shape.operation) | \(rate)")
        for run in rate.brokenRuns { print("CALIBRATION size  |   \(run)") }
        XCTAssertLessThanOrEqual(rate.fraction, 2 * Self.alpha, "size on \(c.shape.name): \(rate)", file: file, line: line)
        XCTAssertEqual(rate.noEvidenceExact, [], "exact on no evidence, \(c.shape.name)", file: file, line: line)
    }

    func checkPower(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = Self.powerRepetitions
        let rate = try Self.notExactRate(c, breakingFloor: c.breakingFloor, seeds: 2000..<UInt64(2000 + n))
        let relative = String(format: "%.3g", c.breakingFloor / c.targetError)
        print("CALIBRATION power | \(c.shape.name) | \(c.shape.operation) | breaking floor \(String(format: "%.3g", c.breakingFloor)) = \(relative) × target | \(rate)")
        XCTAssertGreaterThanOrEqual(rate.fraction, 0.9, "power on \(c.shape.name): \(rate)", file: file, line: line)
        XCTAssertEqual(rate.noEvidenceExact, [], "exact on no evidence, \(c.shape.name)", file: file, line: line)
    }

    static let uniform2D = noisyCase(.uniform2D(), rows: 200)
    static let uniform3D = noisyCase(.uniform3D, rows: 150)
    static let scan1D = noiseFreeCase(.scan1D)
    static let scan1DNoisy = noisyCase(.scan1DNoisy, rows: 41)
    static let grid3D = noisyCase(.grid3D, rows: 125)
    static let duplicated = noisyCase(.duplicated, rows: 100)
    static let tiny = noisyCase(.tiny, rows: 30)
    static let heavyNoise = noisyCase(.heavyNoise, rows: 300)
    static let nuisance = noisyCase(.ignoredDirection, rows: 150)
    /// In 6 Cartesian columns with 150 frames the order-4 model that would reveal the order-3
    /// model's misfit has more coefficients (210) than there are rows, so the Taylor test is not
    /// decisive and only the mirror test speaks; its local linear predictions in 6 dimensions
    /// resolve a naive floor of about 0.007 (leave-one-out RMS ≈ 0.012 over ≈ 60 usable images).
    /// The tolerance is set so that the power test's breaking, 10τ = 0.03, lies clearly above
    /// what the data can resolve.
    static let diatomic = Case(shape: .diatomic, tolerance: 0.003)

    func testSizeUniform2D() throws { try checkSize(Self.uniform2D) }
    func testPowerUniform2D() throws { try checkPower(Self.uniform2D) }
    func testSizeUniform3D() throws { try checkSize(Self.uniform3D) }
    func testPowerUniform3D() throws { try checkPower(Self.uniform3D) }
    func testSizeEvenScan() throws { try checkSize(Self.scan1D) }
    func testPowerEvenScan() throws { try checkPower(Self.scan1D) }
    func testSizeNoisyScan() throws { try checkSize(Self.scan1DNoisy) }
    func testPowerNoisyScan() throws { try checkPower(Self.scan1DNoisy) }
    func testSizeGrid3D() throws { try checkSize(Self.grid3D) }
    func testPowerGrid3D() throws { try checkPower(Self.grid3D) }
    func testSizeDuplicatedPoints() throws { try checkSize(Self.duplicated) }
    func testPowerDuplicatedPoints() throws { try checkPower(Self.duplicated) }
    func testSizeTiny() throws { try checkSize(Self.tiny) }
    func testPowerTiny() throws { try checkPower(Self.tiny) }
    func testSizeHeavyNoise() throws { try checkSize(Self.heavyNoise) }
    func testPowerHeavyNoise() throws { try checkPower(Self.heavyNoise) }
    func testSizeIgnoredDirections() throws { try checkSize(Self.nuisance) }
    func testPowerIgnoredDirections() throws { try checkPower(Self.nuisance) }
    func testSizeDiatomicRigidMotions() throws { try checkSize(Self.diatomic) }
    func testPowerDiatomicRigidMotions() throws { try checkPower(Self.diatomic) }

    // MARK: Evidence behind `exact` on the default candidates

    /// The water-like 9-column data of issue 9 (300 frames near the minimum, order-2 model):
    /// no operation may be called `exact` with no usable mirror images and an inadequate model,
    /// and none whose true naive floor about the analysis' centre (from the noise-free label) is
    /// above `breakingOverTolerance` × the default exactness tolerance (every listed operation
    /// here breaks the label by more than the target error).
    func testNoExactVerdictWithoutEvidenceOnRigidMotionData() throws {
        let shape = DataShape.water9()
        let table = shape.table(seed: 7)
        // A few of the default candidates (all of them take minutes in debug builds: closing the
        // spurious "exact group" of 9×9 matrices dominates).
        let ops: [OperationSpec] = ["reflect(x1)", "reflect(z1)", "invert", "swap(z1,z2)", "swap(z2,z3)", "swap(x2,y2)"]
        let result = try Analyzer.run(table, AnalysisConfiguration(fit: shape.fit, operations: ops, onlyListedOperations: true))
        let center = result.fit.fit.center
        let points = (0..<table.count).map { table.point($0) }
        func trueFloor(_ op: SymmetryOperation) -> Double {
            var s = 0.0
            for p in points {
                let u = zip(p, center).map { $0 - $1 }
                let image = zip(center, op.matrix * u).map { $0 + $1 }
                let d = (shape.label(p) - shape.label(image)) / 2
                s += d * d
            }
            return (s / Double(points.count)).squareRoot()
        }
        let tolerance = Self.exactToleranceFraction * result.targetError
        let f = { (x: Double?) in x.map { String(format: "%.3g", $0) } ?? "-" }
        print("CALIBRATION water9 | adequate \(result.adequacy.adequate) (\(result.adequacy.problems)) | R² \(f(result.fit.fit.r2)) | centre \(result.fit.center.kind), inside the data \(result.fit.center.insideData) | order \(result.fit.fit.order) | group \(result.group.order.map(String.init) ?? "continuous") | noise \(shape.noise), label sd \(f(result.labels.standardDeviation)), target \(f(result.targetError)), rmse \(f(result.adequacy.fitRMSE)), local noise \(f(result.adequacy.localNoise))")
        var missed: [String] = []
        for op in result.operations {
            let floor = trueFloor(op.operation)
            print("CALIBRATION water9 |   \(op.name): \(op.verdict.rawValue) by \(op.decidedBy?.rawValue ?? "none"), coverage \(String(format: "%.2f", op.coverage)) (\(op.mirror.usable) images), adjusted p \(f(op.adjustedPValue)), true naive floor \(f(floor))")
            if op.verdict == .exact && floor > Self.breakingOverTolerance * tolerance { missed.append("\(op.name) (true floor \(f(floor)))") }
        }
        XCTAssertEqual(Self.noEvidenceExactVerdicts(result), [], "exact verdicts with no usable mirror images and an inadequate model")
        XCTAssertEqual(missed, [], "exact verdicts for operations that break the label by more than 10× the exactness tolerance")
    }
}
