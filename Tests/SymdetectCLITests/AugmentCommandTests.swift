import Foundation
import SymdetectCore
import XCTest

/// End-to-end tests of `symdetect augment`: the built binary on files in a temporary directory.
final class AugmentCommandTests: XCTestCase {
    /// V = x² + 2y² + 0.3x³ sampled around its minimum at the origin, with a text column in the
    /// middle (not a coordinate: selected away with --features).
    static func wellCSV(rows: Int = 60, seed: UInt64 = 3) -> (text: String, x: [Double], y: [Double], v: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var text = "x,tag,y,V\n"
        var xs: [Double] = [], ys: [Double] = [], vs: [Double] = []
        for i in 0..<rows {
            let x = rng.uniform(-1, 1), y = rng.uniform(-1, 1)
            let v = x * x + 2 * y * y + 0.3 * x * x * x
            xs.append(x); ys.append(y); vs.append(v)
            text += "\(x),s\(i),\(y),\(v)\n"
        }
        return (text, xs, ys, vs)
    }

    func testWritesOriginalsThenImagesWithProvenance() throws {
        let dir = try TemporaryDirectory()
        let data = Self.wellCSV()
        try dir.write("well.csv", data.text)
        let result = try CommandRunner.run(["augment", "well.csv", "--features", "x,y", "--op", "reflect(x)", "--op", "reflect(y)",
                                            "--provenance", "-o", "out/aug.csv"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("60 rows in, 240 rows out (group order 4"), result.stdout)
        XCTAssertTrue(result.stderr.contains("column tag not written"), result.stderr)

        let lines = try String(contentsOfFile: dir.path("out/aug.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + 240)
        XCTAssertEqual(lines[0], "x,y,V,operation", "the input's column order, unused columns dropped")
        var counts: [String: Int] = [:]
        for (k, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 4)
            counts[f[3], default: 0] += 1
            let (x, y, v) = (Double(f[0])!, Double(f[1])!, Double(f[2])!)
            let i = k % 60
            // 17 significant digits: originals read back bit for bit; the naive label is unchanged.
            XCTAssertEqual(v, data.v[i], "row \(k + 2)")
            if k < 60 {
                XCTAssertEqual(f[3], "identity")
                XCTAssertEqual(x, data.x[i])
                XCTAssertEqual(y, data.y[i])
            }
            // Every image is (±x, ±y) about the fitted minimum (the origin to ~1e-10).
            XCTAssertEqual(abs(x), abs(data.x[i]), accuracy: 1e-8)
            XCTAssertEqual(abs(y), abs(data.y[i]), accuracy: 1e-8)
        }
        XCTAssertEqual(counts, ["identity": 60, "reflect(x)": 60, "reflect(y)": 60, "reflect(y)*reflect(x)": 60])
        XCTAssertEqual(try dir.contents(), ["out", "well.csv"], "no temporary file left behind")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")), ["aug.csv"])
    }

    func testCorrectedSchemesAndSameColumnsWithoutProvenance() throws {
        let dir = try TemporaryDirectory()
        let data = Self.wellCSV()
        try dir.write("well.csv", data.text)
        // With the text column the default features would include it: choose them.
        let result = try CommandRunner.run(["augment", "well.csv", "--features", "x,y", "--op", "reflect(x)", "--scheme", "taylor",
                                            "--order", "3", "-o", "t.csv"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let table = try CSVReader.read(path: dir.path("t.csv"))
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.labelName, "V")
        XCTAssertEqual(table.count, 120)
        // The cubic model is exact, so the taylor label at the image is the true V there.
        for i in 60..<120 {
            let (x, y) = (table.features[0][i], table.features[1][i])
            XCTAssertEqual(table.labels[i], x * x + 2 * y * y + 0.3 * x * x * x, accuracy: 1e-9)
        }
    }

    func testHessianSchemeOnASaddleIsRefusedAndLeavesTheOutputAlone() throws {
        let dir = try TemporaryDirectory()
        var rng = SeededGenerator(seed: 4)
        var text = "x,y,V\n"
        for _ in 0..<80 {
            let x = rng.uniform(-1, 1), y = rng.uniform(-1, 1)
            text += "\(x),\(y),\(x * x - y * y + 0.1 * x * x * x)\n"
        }
        try dir.write("saddle.csv", text)
        try dir.write("out.csv", "keep me\n")
        let result = try CommandRunner.run(["augment", "saddle.csv", "--op", "reflect(y)", "--scheme", "hessian", "--order", "3", "-o", "out.csv"], in: dir.url)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("symdetect: saddle.csv: the hessian scheme assumes a convex well, but the centre is a saddle of index 1"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.path("out.csv"), encoding: .utf8), "keep me\n")
        XCTAssertEqual(try dir.contents(), ["out.csv", "saddle.csv"])

        let forced = try CommandRunner.run(["augment", "saddle.csv", "--op", "reflect(y)", "--scheme", "hessian", "--order", "3", "--force", "-o", "out.csv"], in: dir.url)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("warning: the centre is a saddle of index 1, not a minimum"), forced.stderr)
        XCTAssertEqual(try CSVReader.read(path: dir.path("out.csv")).count, 160)
    }

    func testUsageErrors() throws {
        let dir = try TemporaryDirectory()
        try dir.write("well.csv", Self.wellCSV().text)
        let cases: [([String], String)] = [
            (["augment", "well.csv", "--features", "x,y", "--op", "reflect(q)", "-o", "a.csv"], "invalid operation 'reflect(q)': unknown coordinate 'q'"),
            (["augment", "well.csv", "--features", "x,y", "--op", "flip(x)", "-o", "a.csv"], "invalid operation 'flip(x)'"),
            (["augment", "well.csv", "--features", "x,y", "-o", "a.csv"], "needs at least one --op"),
            (["augment", "well.csv", "--features", "x,y", "--op", "reflect(x)", "--scheme", "fancy", "-o", "a.csv"], "The value 'fancy' is invalid for '--scheme"),
            (["augment", "well.csv", "--features", "x,y", "--op", "rotate(x,y,90)", "--scheme", "hessian", "-o", "a.csv"], "group element rotate(x,y,90) is not one"),
            (["augment", "well.csv", "--features", "x,y", "--op", "reflect(x)", "-o", "well.csv"], "is the input file"),
            (["augment", "well.csv", "--features", "x,y", "--op", "rotate(x,y,0.7)", "-o", "a.csv"], "more than 1024 elements"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try dir.contents(), ["well.csv"], "no output on failure")
        let missing = try CommandRunner.run(["augment", "nope.csv", "--op", "reflect(x)", "-o", "a.csv"], in: dir.url)
        XCTAssertEqual(missing.status, 66)
    }

    func testContinuousFamilyAndHelp() throws {
        let dir = try TemporaryDirectory()
        var rng = SeededGenerator(seed: 6)
        var text = "x,y,z,rho\n"
        for _ in 0..<50 {
            let (x, y, z) = (rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-3, 3))
            text += "\(x),\(y),\(z),\(HydrogenOrbital.p2z.density(x, y, z))\n"
        }
        try dir.write("p.csv", text)
        let result = try CommandRunner.run(["augment", "p.csv", "--center", "origin", "--order", "2", "--op", "rotate(x,y,*)", "--copies", "4",
                                            "--provenance", "-o", "r.csv"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("50 rows in, 250 rows out"), result.stdout)
        let again = try CommandRunner.run(["augment", "p.csv", "--center", "origin", "--order", "2", "--op", "rotate(x,y,*)", "--copies", "4",
                                           "--provenance", "-o", "r2.csv"], in: dir.url)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("r.csv")), try Data(contentsOf: dir.url.appendingPathComponent("r2.csv")))
        // The sampled rotations keep the density (an exact symmetry): labels match the truth at the images.
        let table = try CSVReader.read(path: dir.path("r.csv"), options: CSVReadOptions(label: "rho", features: ["x", "y", "z"]))
        for i in 50..<250 {
            let truth = HydrogenOrbital.p2z.density(table.features[0][i], table.features[1][i], table.features[2][i])
            XCTAssertEqual(table.labels[i], truth, accuracy: 1e-12 * max(truth, 1e-3))
        }

        let help = try CommandRunner.run(["augment", "--help"], in: dir.url)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("other (unused) columns of the input are not written"), help.stdout)
        XCTAssertTrue(help.stdout.contains("--provenance"))
    }
}
