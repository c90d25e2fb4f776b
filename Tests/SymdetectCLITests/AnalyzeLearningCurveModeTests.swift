import Foundation
import SymdetectCore
import SymdetectReport
import XCTest

/// `analyze --learning-curve quick|full|off`: the curve is measured by default, the report and
/// JSON say so (or say that it is assumed), the output is byte-identical across runs, and the
/// progress line appears only on a terminal and not with --quiet.
final class AnalyzeLearningCurveModeTests: XCTestCase {
    func analyze(_ extra: [String], in dir: TemporaryDirectory) throws -> (CommandResult, String, AnalysisDocument) {
        let result = try CommandRunner.run(["analyze", "well.csv", "--report", "r.md", "--json", "r.json"] + extra, in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try String(contentsOf: dir.url.appendingPathComponent("r.md"), encoding: .utf8)
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("r.json")))
        return (result, report, document)
    }

    func testQuickIsTheDefaultAndIsReportedAndByteIdentical() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        let (_, report, document) = try analyze([], in: dir)
        let first = try Data(contentsOf: dir.url.appendingPathComponent("r.md"))
        let firstJSON = try Data(contentsOf: dir.url.appendingPathComponent("r.json"))
        let firstSVG = try Data(contentsOf: dir.url.appendingPathComponent("r-learning-curve.svg"))

        let curve = document.learningCurve
        XCTAssertTrue(curve.measured)
        XCTAssertEqual(curve.mode, "quick")
        XCTAssertEqual(curve.slopeSource, "measured (quick)")
        let slope = try XCTUnwrap(curve.slope), stderr = try XCTUnwrap(curve.slopeStderr)
        XCTAssertTrue(slope > 0 && stderr > 0)
        // 240 rows: a test set of 48 leaves 192, so N = 16 … 128.
        XCTAssertEqual(curve.points.map(\.n), [16, 32, 64, 128])
        XCTAssertTrue(curve.points.allSatisfy { $0.baseline != nil })
        XCTAssertTrue(report.contains("## Learning curve"))
        XCTAssertTrue(report.contains("The learning curve was measured on these data"), report)
        XCTAssertTrue(report.contains("b = \(NumberFormatting.format(slope, digits: 3)) ± \(NumberFormatting.format(stderr, digits: 3))"))

        _ = try analyze([], in: dir)
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("r.md")), first)
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("r.json")), firstJSON)
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("r-learning-curve.svg")), firstSVG)
    }

    func testOffSaysTheCurveIsAssumedInTheVerdict() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        let (_, report, document) = try analyze(["--learning-curve", "off"], in: dir)
        XCTAssertFalse(document.learningCurve.measured)
        XCTAssertEqual(document.learningCurve.mode, "off")
        XCTAssertEqual(document.learningCurve.slope, AnalysisConfiguration.assumedSlope)
        XCTAssertTrue(document.learningCurve.points.isEmpty)
        let verdict = try XCTUnwrap(report.components(separatedBy: "\n").first { $0.hasPrefix("**Verdict.**") })
        XCTAssertTrue(verdict.contains("is assumed") && verdict.contains("not measured"), verdict)
        XCTAssertFalse(report.contains("## Learning curve"))
    }

    func testUsageErrors() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        for arguments in [["--max-n", "64"], ["--learning-curve", "quick", "--slope", "1"], ["--learning-curve", "full", "--max-n", "8"]] {
            let result = try CommandRunner.run(["analyze", "well.csv"] + arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
        }
    }

    /// `full --max-n 64` measures 16, 32 and 64 and the report names the mode and the range.
    func testFullHonoursMaxN() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV())
        let (_, report, document) = try analyze(["--learning-curve", "full", "--max-n", "64"], in: dir)
        XCTAssertEqual(document.learningCurve.mode, "full")
        XCTAssertEqual(document.learningCurve.points.map(\.n), [16, 32, 64])
        XCTAssertTrue(report.contains("(kernel ridge regression, full, N = 16 to 64)"), report)
    }

    /// On a terminal (a pseudo-terminal from `script`) the measurement shows progress on stderr;
    /// --quiet silences it.
    func testProgressOnATerminalAndQuiet() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { throw XCTSkip("no /usr/bin/script for a pseudo-terminal") }
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", AnalyzeCommandTests.wellCSV(rows: 120))
        func run(_ extra: String) throws -> String {
            let command = "'\(CommandRunner.executable.path)' analyze well.csv --report r.md \(extra) >/dev/null"
            let process = Process()
            process.executableURL = script
            process.arguments = ["-qec", command, "/dev/null"]
            process.currentDirectoryURL = dir.url
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            return String(decoding: data, as: UTF8.self)
        }
        XCTAssertTrue(try run("").contains("measuring the learning curve"))
        XCTAssertFalse(try run("--quiet").contains("analyzing"))
    }
}
