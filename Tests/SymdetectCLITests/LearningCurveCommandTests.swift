import Foundation
import SymdetectCore
import XCTest

/// End-to-end tests of `symdetect learning-curve` (small sizes: the numbers themselves are
/// checked in SymdetectCoreTests.LearningCurveTests).
final class LearningCurveCommandTests: XCTestCase {
    static func morseCSV(rows: Int = 240) -> String {
        let table = MorseOscillator().samples(count: rows, halfWidth: 0.5, seed: 9)
        var text = "x,E\n"
        for i in 0..<rows { text += "\(table.features[0][i]),\(table.labels[i])\n" }
        return text
    }

    func testWritesTableJSONAndSVG() throws {
        let dir = try TemporaryDirectory()
        try dir.write("morse.csv", Self.morseCSV())
        let arguments = ["learning-curve", "morse.csv", "--op", "reflect(x)", "--scheme", "naive,hessian", "--sizes", "16,32,64",
                         "--repeats", "2", "--test-size", "60", "--json", "out/lc.json", "--svg", "out/lc.svg"]
        let result = try CommandRunner.run(arguments, in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Learning curves for morse.csv (240 rows): reflect(x) (group order 2)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("baseline RMSE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("hessian RMSE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("baseline fit: RMSE ≈ a·N^(−b)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("JSON written to out/lc.json"), result.stdout)
        XCTAssertEqual(result.stderr, "", "no progress line when stderr is not a terminal")

        let data = try Data(contentsOf: dir.url.appendingPathComponent("out/lc.json"))
        let document = try JSONDecoder().decode(LearningCurveResult.self, from: data)
        XCTAssertEqual(document.schemaVersion, 1)
        XCTAssertEqual(document.sizes, [16, 32, 64])
        XCTAssertEqual(document.schemes, ["naive", "hessian"])
        XCTAssertEqual(document.input, InputSection(path: "morse.csv", rows: 240, features: ["x"], label: "E"))
        XCTAssertEqual(document.baseline.points.map { $0.rmse.count }, [2, 2, 2])
        XCTAssertEqual(document.comparisons.map(\.scheme), ["naive", "hessian"])
        XCTAssertNotNil(document.comparisons[0].predictedRMSE)
        let model = try LearningCurveResult.load(path: dir.path("out/lc.json"))
        XCTAssertEqual(model.slope, document.fit?.slope)

        let svg = try String(contentsOfFile: dir.path("out/lc.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg, document.svg)

        // Same seed, same bytes.
        let again = try CommandRunner.run(arguments.map { $0 == "out/lc.json" ? "again.json" : $0 }, in: dir.url)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("again.json")), data)
    }

    func testUsageErrors() throws {
        let dir = try TemporaryDirectory()
        try dir.write("morse.csv", Self.morseCSV())
        let cases: [([String], String)] = [
            (["learning-curve", "morse.csv"], "needs at least one --op"),
            (["learning-curve", "morse.csv", "--op", "reflect(y)"], "invalid operation 'reflect(y)'"),
            (["learning-curve", "morse.csv", "--op", "reflect(x)", "--scheme", "best"], "--scheme must be naive, hessian or taylor, got 'best'"),
            (["learning-curve", "morse.csv", "--op", "reflect(x)", "--sizes", "16,32", "--max-n", "64"], "either --sizes or --max-n"),
            (["learning-curve", "morse.csv", "--op", "reflect(x)", "--sizes", "16,x"], "--sizes must be comma-separated integers"),
            (["learning-curve", "morse.csv", "--op", "reflect(x)", "--sizes", "16,500"], "training size 500 exceeds the 192 rows left after a test set of 48"),
            (["learning-curve", "morse.csv", "--op", "reflect(x)", "--repeats", "0"], "--repeats must be at least 1"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try dir.contents(), ["morse.csv"])
    }
}
