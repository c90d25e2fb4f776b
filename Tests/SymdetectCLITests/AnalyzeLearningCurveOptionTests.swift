import Foundation
import SymdetectCore
import SymdetectReport
import XCTest

/// `analyze --learning-curve FILE.json`: the measured power law replaces the default slope.
final class AnalyzeLearningCurveOptionTests: XCTestCase {
    func testMeasuredSlopeAndPrefactorAreUsed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        try dir.write("curve.json", #"{"schemaVersion": 1, "fit": {"prefactor": 0.75, "slope": 0.8}}"#)
        let result = try CommandRunner.run(["analyze", "well.csv", "--learning-curve", "curve.json", "--json", "w.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("w.json")))
        XCTAssertEqual(document.learningCurve.slope, 0.8)
        XCTAssertEqual(document.learningCurve.prefactor, 0.75)
        XCTAssertTrue(document.learningCurve.slopeSource.hasPrefix("measured"))
    }

    func testMissingLearningCurveFileIsUnreadableInput() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        let result = try CommandRunner.run(["analyze", "well.csv", "--learning-curve", "nope.json"], in: dir.url)
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("nope.json"))
    }
}
