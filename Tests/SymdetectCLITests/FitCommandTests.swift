import Foundation
import SymdetectCore
import SymdetectReport
import XCTest

/// End-to-end tests of `symdetect fit`: the built binary on files in a temporary directory.
final class FitCommandTests: XCTestCase {
    // V(x, y, z) with its only stationary point, a minimum, at m = (1, −2, 0.5): every term is at
    // least quadratic in w = p − m. Expanded about m its Taylor coefficients are exactly the
    // ones written here, which is the oracle the fitted coefficients are compared with.
    static let minimum = [1.0, -2.0, 0.5]
    static let coefficients: [[Int]: Double] = [
        [2, 0, 0]: 3, [1, 1, 0]: 1, [0, 2, 0]: 2, [0, 0, 2]: 1, [3, 0, 0]: 0.4, [1, 1, 1]: 0.2,
        [1, 0, 2]: -0.15, [0, 4, 0]: 0.1, [2, 0, 2]: 0.05,
    ]

    static func potential(_ p: [Double]) -> Double {
        let w = zip(p, minimum).map { $0 - $1 }
        var v = 0.0
        for (alpha, beta) in coefficients {
            var term = beta
            for j in 0..<3 { for _ in 0..<alpha[j] { term *= w[j] } }
            v += term
        }
        return v
    }

    /// 300 samples of V in a box around the minimum, written with round-trip precision.
    static func polynomialCSV(rows: Int = 300, seed: UInt64 = 7) -> String {
        var rng = SeededGenerator(seed: seed)
        var text = "x,y,z,V\n"
        for _ in 0..<rows {
            let p = [rng.uniform(-0.5, 2.5), rng.uniform(-3.5, -0.5), rng.uniform(-1, 2)]
            text += (p + [potential(p)]).map { "\($0)" }.joined(separator: ",") + "\n"
        }
        return text
    }

    func testFitRecoversPolynomialCoefficientsAndAnalyticMinimum() throws {
        let dir = try TemporaryDirectory()
        try dir.write("poly.csv", Self.polynomialCSV())
        let result = try CommandRunner.run(["fit", "poly.csv", "--json", "out/fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "a clean fit prints nothing on stderr")

        let data = try Data(contentsOf: dir.url.appendingPathComponent("out/fit.json"))
        let document = try JSONDecoder().decode(FitDocument.self, from: data)
        XCTAssertEqual(document.schemaVersion, 1)
        XCTAssertEqual(document.input, InputSection(path: "poly.csv", rows: 300, features: ["x", "y", "z"], label: "V"))

        let fit = document.fit
        XCTAssertEqual(fit.order, 4)
        XCTAssertEqual(fit.centerKind, "minimum")
        XCTAssertEqual(fit.rank, 35)
        XCTAssertEqual(fit.coefficients.count, 35)
        for (c, m) in zip(fit.center, Self.minimum) { XCTAssertEqual(try XCTUnwrap(c), m, accuracy: 1e-9) }
        for entry in fit.coefficients {
            XCTAssertEqual(try XCTUnwrap(entry.value), Self.coefficients[entry.exponents] ?? 0, accuracy: 1e-9, entry.monomial)
            XCTAssertNotNil(entry.stderr)
        }
        XCTAssertEqual(fit.coefficients.first { $0.exponents == [1, 1, 1] }?.monomial, "x*y*z")
        XCTAssertEqual(fit.coefficients.first { $0.exponents == [1, 0, 2] }?.monomial, "x*z^2")

        // Hessian [[6,1,0],[1,4,0],[0,0,2]]: eigenvalues 2 and 5 ∓ √2.
        let hessian = fit.hessian.map { $0.map { $0 ?? .nan } }
        let expected: [[Double]] = [[6, 1, 0], [1, 4, 0], [0, 0, 2]]
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(hessian[i][j], expected[i][j], accuracy: 1e-8) } }
        let eigenvalues = fit.hessianEigenvalues.map { $0 ?? .nan }
        for (a, b) in zip(eigenvalues, [2, 5 - 2.0.squareRoot(), 5 + 2.0.squareRoot()]) { XCTAssertEqual(a, b, accuracy: 1e-8) }
        for g in fit.gradient { XCTAssertEqual(try XCTUnwrap(g), 0, accuracy: 1e-9) }

        // φ_ijk = α!·β_α: φ111 = 6·0.4, φ123 = 0.2, φ133 = 2·(−0.15); φ2222 = 24·0.1, φ1133 = 4·0.05.
        func constant(_ list: [ForceConstantEntry], _ indices: [Int]) throws -> Double {
            try XCTUnwrap(list.first { $0.indices == indices }?.value, "\(indices)")
        }
        XCTAssertEqual(try constant(fit.cubic, [0, 0, 0]), 2.4, accuracy: 1e-8)
        XCTAssertEqual(try constant(fit.cubic, [0, 1, 2]), 0.2, accuracy: 1e-8)
        XCTAssertEqual(try constant(fit.cubic, [0, 2, 2]), -0.3, accuracy: 1e-8)
        XCTAssertEqual(try constant(fit.quartic, [1, 1, 1, 1]), 2.4, accuracy: 1e-8)
        XCTAssertEqual(try constant(fit.quartic, [0, 0, 2, 2]), 0.2, accuracy: 1e-8)
        XCTAssertEqual(fit.cubic.count, 10)
        XCTAssertEqual(fit.quartic.count, 15)

        // The contract's field names are in the raw JSON.
        let raw = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(raw.keys), ["schemaVersion", "input", "fit"])
        let rawFit = try XCTUnwrap(raw["fit"] as? [String: Any])
        for key in ["order", "center", "centerKind", "rmse", "r2", "looRmse", "conditionNumber", "rank",
                    "coefficients", "gradient", "hessian", "hessianEigenvalues", "cubic", "quartic"] {
            XCTAssertNotNil(rawFit[key], "fit.\(key) missing")
        }
        let firstCoefficient = try XCTUnwrap((rawFit["coefficients"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(firstCoefficient.keys), ["monomial", "exponents", "value", "stderr"])

        // The summary on stdout names the largest force constants.
        XCTAssertTrue(result.stdout.contains("φ111 = 2.4 ±"), result.stdout)
        XCTAssertTrue(result.stdout.contains("φ133 = -0.3 ±"), result.stdout)
        XCTAssertTrue(result.stdout.contains("x = 1, y = -2, z = 0.5"), result.stdout)
        XCTAssertTrue(result.stdout.contains("minimum"))
        XCTAssertTrue(result.stdout.contains("JSON written to out/fit.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")), ["fit.json"], "no temporary file left")
    }

    func testJSONIsByteIdenticalAcrossRuns() throws {
        let dir = try TemporaryDirectory()
        try dir.write("poly.csv", Self.polynomialCSV(rows: 120, seed: 3))
        for name in ["a.json", "b.json"] {
            let result = try CommandRunner.run(["fit", "poly.csv", "--order", "3", "--json", name], in: dir.url)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("a.json")),
                       try Data(contentsOf: dir.url.appendingPathComponent("b.json")))
    }

    func testOrderAutoPrintsTheSelectionTable() throws {
        let dir = try TemporaryDirectory()
        try dir.write("poly.csv", Self.polynomialCSV())
        let result = try CommandRunner.run(["fit", "poly.csv", "--order", "auto", "--json", "fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("chosen by leave-one-out RMSE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("<- chosen"), result.stdout)
        let document = try JSONDecoder().decode(FitDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("fit.json")))
        XCTAssertEqual(document.fit.orderChoice, "auto")
        XCTAssertEqual(document.fit.order, 4, "the data are an exact quartic")
        XCTAssertEqual(document.fit.orderSelection.filter(\.chosen).map(\.order), [4])
    }

    func testRankDeficientFitWritesNullsInsteadOfFailing() throws {
        // b = 2a exactly: only combinations of a and b are determined; standard errors of the
        // rest and the condition number are undefined and must come out as JSON null.
        var rng = SeededGenerator(seed: 11)
        var text = "a,b,E\n"
        for _ in 0..<40 {
            let a = rng.uniform(-1, 1)
            text += "\(a),\(2 * a),\(a * a + 0.01 * rng.nextGaussian())\n"
        }
        let dir = try TemporaryDirectory()
        try dir.write("collinear.csv", text)
        let result = try CommandRunner.run(["fit", "collinear.csv", "--order", "2", "--center", "origin", "--json", "fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("symdetect: warning:"), result.stderr)
        XCTAssertTrue(result.stdout.contains("rank deficient"), result.stdout)
        let json = String(decoding: try Data(contentsOf: dir.url.appendingPathComponent("fit.json")), as: UTF8.self)
        XCTAssertTrue(json.contains("\"conditionNumber\" : null") || json.contains("\"conditionNumber\":null"), json)
        XCTAssertTrue(json.contains("null"))
        XCTAssertFalse(json.lowercased().contains("nan"))
        XCTAssertFalse(json.contains("inf"))
    }

    func testHelpAndVersion() throws {
        let dir = try TemporaryDirectory()
        let help = try CommandRunner.run(["fit", "--help"], in: dir.url)
        XCTAssertEqual(help.status, 0)
        for option in ["--order", "--center", "--radius", "--json", "--label", "--features", "--delimiter", "<data>"] {
            XCTAssertTrue(help.stdout.contains(option), "fit --help does not mention \(option)")
        }
        let root = try CommandRunner.run(["--help"], in: dir.url)
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("fit"))
        XCTAssertTrue(root.stdout.contains("arXiv:2605.28238"))
        let version = try CommandRunner.run(["--version"], in: dir.url)
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
    }

    // MARK: - Errors: exit code and one clear stderr line

    struct ErrorCase {
        let name: String
        /// File content written to "data.csv"; nil when the case sets up its own input.
        let csv: String?
        let arguments: [String]
        let status: Int32
        /// Every string must appear in the stderr line.
        let mentions: [String]
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "missing file", csv: nil, arguments: ["fit", "nosuch.csv"], status: 66, mentions: ["nosuch.csv"]),
        ErrorCase(name: "directory", csv: nil, arguments: ["fit", "adir"], status: 66, mentions: ["adir", "directory"]),
        ErrorCase(name: "empty file", csv: "", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv", "empty"]),
        ErrorCase(name: "header only", csv: "x,y,V\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv", "no data rows"]),
        ErrorCase(name: "ragged row", csv: "x,y,V\n1,2,3\n4,5\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3", "fields"]),
        ErrorCase(name: "non-numeric cell", csv: "x,y,V\n1,2,3\n4,abc,6\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3:2", "'y'", "abc"]),
        ErrorCase(name: "NaN cell", csv: "x,y,V\n1,2,3\n4,5,NaN\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3:3", "NaN"]),
        ErrorCase(name: "hex cell", csv: "x,y,V\n1,2,3\n0x1p3,5,6\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3:1", "0x1p3"]),
        ErrorCase(name: "overflowing cell", csv: "x,y,V\n1,2,3\n4,1e400,6\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3:2", "1e400"]),
        ErrorCase(name: "empty cell", csv: "x,y,V\n1,2,3\n4,,6\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:3:2", "empty"]),
        ErrorCase(name: "duplicate column names", csv: "x,x,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv:1:2", "duplicate", "'x'"]),
        ErrorCase(name: "unknown --label", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--label", "W"], status: 65, mentions: ["data.csv:1", "W"]),
        ErrorCase(name: "unknown --features", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--features", "x,q"], status: 65, mentions: ["data.csv:1", "q"]),
        ErrorCase(name: "constant feature", csv: "x,y,V\n1,2,3\n1,5,6\n1,7,8\n", arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv", "'x'", "same value"]),
        ErrorCase(name: "too few rows", csv: FitCommandTests.polynomialCSV(rows: 20), arguments: ["fit", "data.csv"], status: 65, mentions: ["data.csv", "too few rows", "35 coefficients"]),
        ErrorCase(name: "bad --order", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--order", "x"], status: 64, mentions: ["--order", "'x'", "auto"]),
        ErrorCase(name: "zero --order", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--order", "0"], status: 64, mentions: ["--order", "'0'"]),
        ErrorCase(name: "bad --center", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--center", "middle"], status: 64, mentions: ["--center", "'middle'", "origin"]),
        ErrorCase(name: "--center of wrong size", csv: FitCommandTests.polynomialCSV(rows: 60), arguments: ["fit", "data.csv", "--center", "1,2"], status: 64, mentions: ["data.csv", "--center", "2 value"]),
        ErrorCase(name: "negative --radius", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--radius", "-1"], status: 64, mentions: ["--radius", "'-1'", "positive"]),
        ErrorCase(name: "bad --delimiter", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--delimiter", "pipe"], status: 64, mentions: ["--delimiter", "'pipe'"]),
        ErrorCase(name: "unknown option", csv: "x,y,V\n1,2,3\n4,5,6\n", arguments: ["fit", "data.csv", "--bogus"], status: 64, mentions: ["--bogus"]),
        ErrorCase(name: "missing data argument", csv: nil, arguments: ["fit"], status: 64, mentions: ["<data>"]),
    ]

    func testErrorsGiveExitCodeAndOneLineOnStderr() throws {
        for errorCase in Self.errorCases {
            let dir = try TemporaryDirectory()
            try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("adir"), withIntermediateDirectories: true)
            if let csv = errorCase.csv { try dir.write("data.csv", csv) }
            let result = try CommandRunner.run(errorCase.arguments, in: dir.url)
            let context = "\(errorCase.name): stderr was \(result.stderr.debugDescription)"
            XCTAssertEqual(result.status, errorCase.status, context)
            XCTAssertEqual(result.stderrLines.count, 1, context)
            XCTAssertTrue(result.stderr.hasPrefix("symdetect: "), context)
            XCTAssertTrue(result.stderr.hasSuffix("\n"), context)
            for text in errorCase.mentions { XCTAssertTrue(result.stderr.contains(text), "\(context) does not mention \(text)") }
            for trace in ["Fatal error", "Stack dump", "backtrace", "Usage:", "USAGE:", "Error: "] {
                XCTAssertFalse(result.stderr.contains(trace), context)
            }
            XCTAssertEqual(result.stdout, "", "\(errorCase.name): nothing on stdout")
        }
    }

    // MARK: - Atomic JSON output

    func testFailedFitLeavesExistingJSONUntouchedAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("few.csv", Self.polynomialCSV(rows: 20))
        let old = "{\"previous\": true}\n"
        try dir.write("fit.json", old)
        let result = try CommandRunner.run(["fit", "few.csv", "--json", "fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(String(decoding: try Data(contentsOf: dir.url.appendingPathComponent("fit.json")), as: UTF8.self), old)
        XCTAssertEqual(try dir.contents(), ["few.csv", "fit.json"])
    }

    func testFailedFitCreatesNoJSON() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.csv", "x,y,V\n1,2,3\n4,oops,6\n")
        let result = try CommandRunner.run(["fit", "bad.csv", "--json", "reports/fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(try dir.contents(), ["bad.csv"], "neither the file nor its directory appears")
    }

    func testSuccessfulFitReplacesExistingJSON() throws {
        let dir = try TemporaryDirectory()
        try dir.write("poly.csv", Self.polynomialCSV(rows: 80, seed: 5))
        try dir.write("fit.json", "old")
        let result = try CommandRunner.run(["fit", "poly.csv", "--order", "2", "--json", "fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try JSONDecoder().decode(FitDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("fit.json")))
        XCTAssertEqual(document.fit.order, 2)
        XCTAssertEqual(try dir.contents(), ["fit.json", "poly.csv"])
    }

    func testUnwritableJSONPathIsOneLineError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("poly.csv", Self.polynomialCSV(rows: 80, seed: 5))
        try dir.write("file", "not a directory")
        let result = try CommandRunner.run(["fit", "poly.csv", "--order", "2", "--json", "file/fit.json"], in: dir.url)
        XCTAssertEqual(result.status, 70)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("symdetect: file/fit.json: cannot write file"), result.stderr)
        XCTAssertEqual(try dir.contents(), ["file", "poly.csv"])
    }
}
