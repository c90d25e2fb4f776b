import Foundation
import SymdetectCore
import XCTest

/// End-to-end tests of `symdetect augment` on molecular frames (SPEC §2b.6): extended XYZ out and
/// back through `analyze`, CSV in and out, and the errors of molecular augmentation.
final class AugmentMoleculeCommandTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func example(_ name: String) -> String { repository.appendingPathComponent("examples/\(name)").path }

    /// `--op C∞` on the CO₂ frames names the continuous family of rotations about the axis (as
    /// the analysis tests it): 8 sampled members, each image a rigid rotation of its frame — every
    /// interatomic distance and (naive scheme) the energy unchanged.
    func testAxialRotationOfALinearMoleculeSamplesRigidRotations() throws {
        let dir = try TemporaryDirectory()
        let run = try CommandRunner.run(["augment", Self.example("co2.extxyz"), "--op", "C∞", "--provenance", "-o", "aug.extxyz"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let original = try ExtendedXYZReader.read(path: Self.example("co2.extxyz"))
        let frames = try ExtendedXYZReader.read(path: dir.path("aug.extxyz"))
        let n = original.frameCount
        XCTAssertEqual(frames.frameCount, 9 * n)
        func distances(_ x: [Double], frame f: Int) -> [Double] {
            var out: [Double] = []
            for i in 0..<3 { for j in (i + 1)..<3 {
                let d = (0..<3).map { x[9 * f + 3 * i + $0] - x[9 * f + 3 * j + $0] }
                out.append(d.map { $0 * $0 }.reduce(0, +).squareRoot())
            } }
            return out
        }
        var worst = 0.0
        for image in n..<(9 * n) {
            let source = image % n
            XCTAssertEqual(frames.energies[image], original.energies[source])
            XCTAssertTrue(frames.extraInfo[image].last?.value.hasPrefix("C∞(") == true, "\(frames.extraInfo[image])")
            for (a, b) in zip(distances(frames.positions, frame: image), distances(original.positions, frame: source)) {
                worst = max(worst, abs(a - b))
            }
        }
        XCTAssertLessThan(worst, 1e-10, "an axial rotation is rigid")
    }

    /// The water frames and their C2 images: read back with every key of their source frame and
    /// the provenance key, and `analyze` on them finds C2v with C2 still exact.
    func testExtendedXYZImagesReadBackAndAnalyzeToTheSamePointGroup() throws {
        let dir = try TemporaryDirectory()
        let run = try CommandRunner.run(["augment", Self.example("water.extxyz"), "--op", "C2", "--provenance", "-o", "aug.extxyz"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("300 frames in, 600 frames out with forces (group order 2 on the modes; exact: perm(2,3)·C2)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("point group C2v"), run.stdout)

        let original = try ExtendedXYZReader.read(path: Self.example("water.extxyz"))
        let frames = try ExtendedXYZReader.read(path: dir.path("aug.extxyz"))
        XCTAssertEqual(frames.frameCount, 600)
        XCTAssertNotNil(frames.forces)
        XCTAssertEqual(Array(frames.positions.prefix(original.positions.count)), original.positions, "the originals come first, unchanged")
        XCTAssertEqual(Array(frames.energies.prefix(300)), original.energies)
        XCTAssertEqual(Array(frames.energies.suffix(300)), original.energies, "an exact image keeps its frame's energy")
        for f in 0..<600 {
            XCTAssertEqual(frames.extraInfo[f], original.extraInfo[f % 300] + [InfoEntry(key: "operation", value: f < 300 ? "identity" : "perm(2,3)·C2")])
        }

        let analyze = try CommandRunner.run(["analyze", "aug.extxyz", "--report", "aug.md", "--json", "aug.json"], in: dir.url)
        XCTAssertEqual(analyze.status, 0, analyze.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.url.appendingPathComponent("aug.json"))) as! [String: Any]
        let molecule = json["molecule"] as! [String: Any]
        let group = molecule["pointGroup"] as! [String: Any]
        XCTAssertEqual(group["name"] as? String, "C2v")
        XCTAssertEqual(group["orderOnModes"] as? Int, 2)
        let operations = json["operations"] as! [[String: Any]]
        let c2 = try XCTUnwrap(operations.first { $0["name"] as? String == "perm(2,3)·C2" })
        XCTAssertEqual(c2["verdict"] as? String, "exact")
    }

    /// `-o` decides the format: CSV (Cartesian columns and the energy; the input's columns for a
    /// CSV) or extended XYZ (also from a CSV with --molecule, then without forces).
    func testOutputFormatFollowsTheExtensionOfTheOutput() throws {
        let dir = try TemporaryDirectory()
        let toCSV = try CommandRunner.run(["augment", Self.example("water.extxyz"), "--op", "reflect(q3)", "--op", "reflect(q1)",
                                           "--scheme", "hessian", "--provenance", "-o", "aug.csv"], in: dir.url)
        XCTAssertEqual(toCSV.status, 0, toCSV.stderr)
        XCTAssertTrue(toCSV.stdout.contains("1200 frames out"), toCSV.stdout)
        XCTAssertTrue(toCSV.stdout.contains("exact: reflect(q3); scheme hessian: reflect(q1)"), toCSV.stdout)
        let lines = try String(contentsOfFile: dir.path("aug.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 1201)
        XCTAssertEqual(lines[0], "O_x,O_y,O_z,H1_x,H1_y,H1_z,H2_x,H2_y,H2_z,energy,operation")
        XCTAssertEqual(try CSVReader.read(path: dir.path("aug.csv"), options: CSVReadOptions(label: "energy",
            features: ["O_x", "O_y", "O_z", "H1_x", "H1_y", "H1_z", "H2_x", "H2_y", "H2_z"])).count, 1200)

        let csv = Self.example("water-cartesian.csv")
        let sameColumns = try CommandRunner.run(["augment", csv, "--molecule", "O,H,H", "--op", "C2", "-o", "aug2.csv"], in: dir.url)
        XCTAssertEqual(sameColumns.status, 0, sameColumns.stderr)
        XCTAssertTrue(sameColumns.stdout.contains("300 frames in, 600 frames out without forces"), sameColumns.stdout)
        let input = try CSVReader.read(path: csv)
        let output = try CSVReader.read(path: dir.path("aug2.csv"))
        XCTAssertEqual(output.featureNames, input.featureNames)
        XCTAssertEqual(output.labelName, input.labelName)
        XCTAssertEqual(output.count, 600)
        for j in 0..<9 { XCTAssertEqual(Array(output.features[j].prefix(300)), input.features[j], "originals read back exactly") }

        let toXYZ = try CommandRunner.run(["augment", csv, "--molecule", "O,H,H", "--op", "C2", "-o", "aug.xyz"], in: dir.url)
        XCTAssertEqual(toXYZ.status, 0, toXYZ.stderr)
        let frames = try ExtendedXYZReader.read(path: dir.path("aug.xyz"))
        XCTAssertEqual(frames.frameCount, 600)
        XCTAssertNil(frames.forces)
        XCTAssertEqual(frames.species, ["O", "H", "H"])
        XCTAssertEqual(frames.labelKey, "energy")
    }

    func testMolecularUsageErrorsAreOneLineAndWriteNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("plain.csv", "x,y,V\n0,0,1\n1,0,2\n0,1,2\n1,1,3\n")
        let water = Self.example("water.extxyz")
        let cases: [([String], String)] = [
            (["augment", water, "--op", "C7", "-o", "a.extxyz"], "--op 'C7': no operation of the molecule's point group has this name (operations acting on the modes: perm(2,3)·C2, perm(2,3)·σv'"),
            (["augment", water, "--op", "reflect(q9)", "-o", "a.extxyz"], "unknown coordinate 'q9' (coordinates: q1, q2, q3)"),
            (["augment", water, "--op", "flip(q1)", "-o", "a.extxyz"], "invalid operation 'flip(q1)'"),
            (["augment", water, "--op", "rotate(q1,q2,90)", "--scheme", "hessian", "-o", "a.extxyz"], "is not one"),
            (["augment", "plain.csv", "--op", "C2", "-o", "a.csv"], "invalid operation 'C2': it names a point-group operation"),
            (["augment", "plain.csv", "--op", "reflect(x)", "-o", "a.extxyz"], "extended XYZ output needs molecular input"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try dir.contents(), ["plain.csv"], "no output on failure")
    }
}
