import Foundation
import SymdetectCore
import XCTest

/// `symdetect learning-curve` on molecular input (examples/water.extxyz: 300 MP2 frames) in
/// dimensionless normal coordinates: the exact point group's measured gain, and the approximate
/// mode reflections' plateaus against the floors the analysis predicts (SPEC §1: measured
/// plateaus came out within 20–30 % of the predicted floor for water).
final class LearningCurveMoleculeCommandTests: XCTestCase {
    func curve(_ extra: [String], in dir: TemporaryDirectory) throws -> LearningCurveResult {
        let arguments = ["learning-curve", AnalyzeMoleculeCommandTests.example("water.extxyz"), "--repeats", "3", "--json", "lc.json"] + extra
        let result = try CommandRunner.run(arguments, in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(LearningCurveResult.self, from: Data(contentsOf: dir.url.appendingPathComponent("lc.json")))
    }

    /// Water's C2v acts on its three modes as a group of order 2 (the swap of the H atoms
    /// reverses the antisymmetric stretch): exact, so the measured gain lies between 1 and 2
    /// (10 % allowed for the scatter of three splits).
    func testPointGroupGainIsMeasured() throws {
        let dir = try TemporaryDirectory()
        let r = try curve(["--point-group", "--max-n", "128"], in: dir)
        XCTAssertEqual(r.input.features, ["q1", "q2", "q3"])
        XCTAssertEqual(r.group.order, 2)
        XCTAssertEqual(r.predictedFloors.map(\.verdict), ["exact"])
        let gain = try XCTUnwrap(r.gains.first?.typicalGain)
        XCTAssertTrue(gain > 1 && gain <= 2.2, "typical gain \(gain)")
    }

    /// Each reflection of a bending or stretching coordinate about the minimum, with the scheme
    /// of lowest predicted floor, levels off within 30 % of that floor.
    func testModeReflectionPlateausMatchPredictedFloors() throws {
        for (op, scheme) in [("reflect(q1)", "naive"), ("reflect(q2)", "hessian")] {
            let dir = try TemporaryDirectory()
            let r = try curve(["--op", op, "--scheme", scheme], in: dir)
            let comparison = try XCTUnwrap(r.comparisons.first)
            let ratio = try XCTUnwrap(comparison.ratio, op)
            XCTAssertEqual(ratio, 1, accuracy: 0.3, "\(op) \(scheme): plateau \(comparison.plateau ?? .nan), floor \(comparison.predictedRMSE ?? .nan)")
        }
    }

    func testPointGroupNeedsMolecularInput() throws {
        let dir = try TemporaryDirectory()
        try dir.write("morse.csv", LearningCurveCommandTests.morseCSV())
        let result = try CommandRunner.run(["learning-curve", "morse.csv", "--point-group"], in: dir.url)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--point-group applies to molecular input"), result.stderr)
    }
}
