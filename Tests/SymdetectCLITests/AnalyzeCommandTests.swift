import Foundation
import SymdetectCore
import SymdetectReport
import XCTest

/// End-to-end tests of `symdetect analyze`: exit codes, files written (atomically, only on
/// success), the JSON contract, determinism and the `--fail-on` audit.
final class AnalyzeCommandTests: XCTestCase {
    /// V = x² + 2y² + 0.6y³ + 0.1x⁴ with a little noise: reflect(x) is exact, reflect(y) is broken
    /// by the cubic term (φ222 = 3.6).
    static func wellCSV(rows: Int = 240, seed: UInt64 = 21) -> String {
        var rng = SeededGenerator(seed: seed)
        var text = "x,y,V\n"
        for _ in 0..<rows {
            let (x, y) = (rng.uniform(-1, 1), rng.uniform(-1, 1))
            let v = x * x + 2 * y * y + 0.6 * y * y * y + 0.1 * x * x * x * x + 0.001 * rng.nextGaussian()
            text += "\(x),\(y),\(v)\n"
        }
        return text
    }

    func testWritesReportFiguresAndJSONAtDefaultPlaces() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV())
        let result = try CommandRunner.run(["analyze", "well.csv", "--json", "out/well.json", "--units", "eV"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Report written to reports/well.md"), result.stdout)
        XCTAssertTrue(result.stdout.contains("JSON written to out/well.json"), result.stdout)
        XCTAssertEqual(result.stderr, "", "no progress or warnings on a non-terminal stderr for clean data")
        let reports = try FileManager.default.contentsOfDirectory(atPath: dir.path("reports")).sorted()
        XCTAssertTrue(reports.contains("well.md"))
        XCTAssertTrue(reports.contains("well-learning-curve.svg"))
        XCTAssertFalse(reports.contains { $0.hasPrefix(".") }, "no temporary files left: \(reports)")
        let markdown = try String(contentsOfFile: dir.path("reports/well.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("![Learning curves](well-learning-curve.svg)"), "the measured curve (quick, the default)")
        XCTAssertTrue(markdown.contains("eV"))

        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("out/well.json")))
        let verdicts = Dictionary(uniqueKeysWithValues: document.operations.map { ($0.name, $0.verdict) })
        XCTAssertEqual(verdicts["reflect(x)"], "exact")
        XCTAssertNotEqual(verdicts["reflect(y)"], "exact")
        XCTAssertEqual(document.input, InputSection(path: "well.csv", rows: 240, features: ["x", "y"], label: "V"))
        XCTAssertEqual(document.provenance.inputSHA256?.count, 64)
    }

    /// Every documented key is present, undefined values as explicit nulls (SPEC §4).
    func testJSONHasEveryContractKeyWithExplicitNulls() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV())
        let result = try CommandRunner.run(["analyze", "well.csv", "--report", "r.md", "--json", "a.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.url.appendingPathComponent("a.json"))) as? [String: Any])
        XCTAssertEqual(object["schemaVersion"] as? Int, 1)
        for key in ["input", "fit", "operations", "group", "recommendation", "learningCurve", "modelAdequacy", "transform", "targetError", "warnings", "planeRotations"] {
            XCTAssertNotNil(object[key], key)
        }
        let operations = try XCTUnwrap(object["operations"] as? [[String: Any]])
        XCTAssertFalse(operations.isEmpty)
        for op in operations {
            for key in ["name", "matrix", "verdict", "decidedBy", "reason", "pValue", "adjustedPValue", "taylorPValue", "mirrorPValue",
                        "breakingOrder", "breakingRMS", "breakingTerms", "coverage", "floors", "floorSource", "modelFloors",
                        "mirrorFloors", "bestScheme", "orbitSize", "crossoverN"] {
                XCTAssertTrue(op.keys.contains(key), "operation \(op["name"] ?? "?") lacks \(key)")
            }
            let floors = try XCTUnwrap(op["floors"] as? [String: Any])
            XCTAssertEqual(Set(floors.keys), ["naive", "hessian", "taylor"])
        }
        let exact = try XCTUnwrap(operations.first { $0["name"] as? String == "reflect(x)" })
        XCTAssertTrue(exact["breakingOrder"] is NSNull, "an unbroken operation has breakingOrder null")
        XCTAssertTrue(exact["crossoverN"] is NSNull)
        let group = try XCTUnwrap(object["group"] as? [String: Any])
        XCTAssertEqual(Set(group.keys), ["order", "continuous", "truncated", "generators"])
        let recommendation = try XCTUnwrap(object["recommendation"] as? [String: Any])
        XCTAssertEqual(Set(recommendation.keys), ["operations", "scheme", "gainFactor", "crossoverN", "floor", "command", "caveats"])
        let curve = try XCTUnwrap(object["learningCurve"] as? [String: Any])
        XCTAssertEqual(Set(curve.keys), ["prefactor", "slope", "slopeStderr", "slopeSource", "measured", "mode", "points", "measurement"])
        let point = try XCTUnwrap((curve["points"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(point.keys), ["n", "baseline", "augmented", "baselineSD", "augmentedSD"])
    }

    func testSameInputAndOptionsGiveIdenticalBytes() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV())
        var outputs: [[String: Data]] = []
        for run in ["a", "b"] {
            let result = try CommandRunner.run(["analyze", "well.csv", "--report", "\(run)/well.md", "--json", "\(run)/well.json",
                                                "--op", "rotate(x,y,90)", "--units", "eV"], in: dir.url)
            XCTAssertEqual(result.status, 0, result.stderr)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path(run)) {
                files[name] = try Data(contentsOf: dir.url.appendingPathComponent("\(run)/\(name)"))
            }
            outputs.append(files)
        }
        XCTAssertEqual(outputs[0].keys.sorted(), outputs[1].keys.sorted())
        for (name, data) in outputs[0] { XCTAssertEqual(data, outputs[1][name], name) }
    }

    func testMalformedOperationIsAUsageErrorAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV(rows: 60))
        let result = try CommandRunner.run(["analyze", "well.csv", "--op", "reflect(w)"], in: dir.url)
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("symdetect: invalid operation 'reflect(w)': unknown coordinate 'w'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("reports")))

        let bad = try CommandRunner.run(["analyze", "well.csv", "--op", "spin(x)"], in: dir.url)
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("unknown operation 'spin'"), bad.stderr)
    }

    func testOptionValuesAreValidated() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV(rows: 60))
        for arguments in [["--alpha", "1.5"], ["--target-error", "-1"], ["--slope", "0"], ["--transform", "sqrt"],
                          ["--fail-on", "absent"], ["--fail-on", "never", "--op", "reflect(x)"], ["--only-ops"]] {
            let result = try CommandRunner.run(["analyze", "well.csv"] + arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
        }
    }

    /// --fail-on: exit 1 after writing the report when an audited operation fails the rule.
    func testFailOnAuditsTheNamedOperations() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV())
        let broken = try CommandRunner.run(["analyze", "well.csv", "--op", "reflect(y)", "--fail-on", "approximate", "--report", "audit.md"], in: dir.url)
        XCTAssertEqual(broken.status, 1, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("--fail-on approximate: reflect(y) is"), broken.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path("audit.md")), "the report is written before failing")
        XCTAssertTrue(broken.stdout.contains("Report written to audit.md"))

        let fine = try CommandRunner.run(["analyze", "well.csv", "--op", " reflect( x )", "--fail-on", "approximate", "--report", "audit2.md"], in: dir.url)
        XCTAssertEqual(fine.status, 0, fine.stderr)
    }

    /// An audit that cannot decide must not pass: samples only on x ∈ [0.5, 1] about the origin
    /// (every image g·x falls outside the data) with a label no quadratic describes make
    /// reflect(x) inconclusive, and every --fail-on rule fails on it.
    func testInconclusiveFailsEveryAudit() throws {
        let dir = try TemporaryDirectory()
        var text = "x,y\n"
        for i in 0..<80 {
            let x = 0.5 + 0.5 * Double(i) / 79
            text += "\(x),\(exp(4 * x) + 0.001 * sin(Double(i) * 12.9898))\n"
        }
        try dir.write("edge.csv", text)
        for rule in ["absent", "approximate", "inconclusive"] {
            let result = try CommandRunner.run(["analyze", "edge.csv", "--center", "origin", "--order", "2", "--op", "reflect(x)",
                                                "--only-ops", "--fail-on", rule, "--report", "edge-\(rule).md"], in: dir.url)
            XCTAssertEqual(result.status, 1, "\(rule): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--fail-on \(rule): reflect(x) is inconclusive"), result.stderr)
            let report = try String(contentsOfFile: dir.path("edge-\(rule).md"), encoding: .utf8)
            XCTAssertTrue(report.contains("`reflect(x)` — **inconclusive**: neither test can speak"), report)
            XCTAssertTrue(report.contains("To decide it, add samples where the images g·x fall: x from -1 to -0.5"), report)
        }
    }

    /// A run that fails (here: a bad cell) leaves an existing report byte for byte as it was.
    func testFailedRunLeavesAnExistingReportUntouched() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV(rows: 60) + "0.5,oops,1\n")
        try FileManager.default.createDirectory(atPath: dir.path("reports"), withIntermediateDirectories: true)
        try dir.write("reports/well.md", "previous report\n")
        let result = try CommandRunner.run(["analyze", "well.csv", "--json", "reports/well.json"], in: dir.url)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("well.csv:62:2"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.path("reports/well.md"), encoding: .utf8), "previous report\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("reports")), ["well.md"])
    }

    func testUnreadableInputExits66() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["analyze", "missing.csv"], in: dir.url)
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("missing.csv"))
    }

    /// The recommended `augment` command repeats the non-default input and fit options.
    func testRecommendedCommandRepeatsInputAndFitOptions() throws {
        let dir = try TemporaryDirectory()
        // Columns in another order: the label is named, the features picked.
        var text = "V,y,x,id\n"
        for line in Self.wellCSV().split(separator: "\n").dropFirst() {
            let c = line.split(separator: ",")
            text += "\(c[2]),\(c[1]),\(c[0]),7\n"
        }
        try dir.write("cols.csv", text)
        let result = try CommandRunner.run(["analyze", "cols.csv", "--label", "V", "--features", "x,y", "--order", "3",
                                            "--report", "cols.md", "--json", "cols.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("cols.json")))
        let command = try XCTUnwrap(document.recommendation.command)
        XCTAssertTrue(command.hasPrefix("symdetect augment cols.csv --op "), command)
        XCTAssertTrue(command.contains("--label V --features x,y --order 3"), command)
        XCTAssertTrue(command.hasSuffix("-o cols-augmented.csv"), command)
        let markdown = try String(contentsOfFile: dir.path("cols.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("`symdetect analyze cols.csv --label V --features x,y --order 3`"), "reproduce command")
    }
}
