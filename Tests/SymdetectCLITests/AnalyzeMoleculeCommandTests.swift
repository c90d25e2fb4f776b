import Foundation
import SymdetectCore
import SymdetectReport
import XCTest

/// End-to-end tests of `symdetect analyze` on molecular frames (SPEC §2b): the extended XYZ and
/// `--molecule` CSV of the same water frames, the Molecule section, the JSON `molecule` block
/// and each operation's `kind`, and the errors of molecular input.
final class AnalyzeMoleculeCommandTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func example(_ name: String) -> String { repository.appendingPathComponent("examples/\(name)").path }

    func testWaterExtendedXYZReportHasTheMoleculeSectionAndJSONBlock() throws {
        let dir = try TemporaryDirectory()
        let run = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--report", "water.md", "--json", "water.json"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let markdown = try String(contentsOfFile: dir.path("water.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("## Molecule"), markdown)
        XCTAssertTrue(markdown.contains("Point group **C2v** (order 4)"), markdown)
        XCTAssertTrue(markdown.contains("as a group of order **2**"), markdown)
        XCTAssertFalse(markdown.contains("symdetect augment"), "augment does not read molecular frames yet")

        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("water.json")))
        let molecule = try XCTUnwrap(document.molecule)
        XCTAssertEqual(molecule.formula, "H2O")
        XCTAssertEqual(molecule.atoms, ["O", "H", "H"])
        XCTAssertEqual(molecule.pointGroup, .init(name: "C2v", order: 4, orderOnModes: 2))
        XCTAssertEqual(molecule.frequencies.count, 3)
        XCTAssertEqual(molecule.modes.count, 3)
        XCTAssertEqual(molecule.modes[2].characters.values.sorted(), [-1, -1, 1, 1])
        XCTAssertEqual(molecule.equilibrium.count, 3)
        let pointGroupOps = document.operations.filter { $0.kind == "pointGroup" }
        XCTAssertEqual(pointGroupOps.map(\.verdict), ["exact"])
        XCTAssertEqual(document.operations.first { $0.name == "reflect(q1)" }?.kind, "coordinate")
        XCTAssertEqual(document.input.features, ["q1", "q2", "q3"])
    }

    /// The same frames as a CSV of Cartesian coordinates with --molecule give the same molecule
    /// and verdicts.
    func testCartesianCSVWithMoleculeAgreesWithExtendedXYZ() throws {
        let dir = try TemporaryDirectory()
        // The learning curve is not the subject here.
        let xyz = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--report", "a.md", "--json", "a.json",
                                         "--learning-curve", "off"], in: dir.url)
        let csv = try CommandRunner.run(["analyze", Self.example("water-cartesian.csv"), "--molecule", "O,H,H",
                                         "--report", "b.md", "--json", "b.json", "--learning-curve", "off"], in: dir.url)
        XCTAssertEqual(xyz.status, 0, xyz.stderr)
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let a = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("a.json")))
        let b = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("b.json")))
        XCTAssertEqual(a.molecule?.pointGroup, b.molecule?.pointGroup)
        for (x, y) in zip(a.molecule?.frequencies ?? [], b.molecule?.frequencies ?? []) {
            XCTAssertEqual(try XCTUnwrap(x), try XCTUnwrap(y), accuracy: 1e-6)
        }
        XCTAssertEqual(a.operations.map(\.name), b.operations.map(\.name))
        XCTAssertEqual(a.operations.map(\.verdict), b.operations.map(\.verdict))
    }

    /// `fit` takes the same molecular input and fits in the normal coordinates.
    func testFitOnExtendedXYZFitsInNormalCoordinates() throws {
        let dir = try TemporaryDirectory()
        let run = try CommandRunner.run(["fit", Self.example("water.extxyz"), "--json", "fit.json"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("molecule H2O: point group C2v (order 4, order 2 on the modes)"), run.stdout)
        let document = try JSONDecoder().decode(FitDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("fit.json")))
        XCTAssertEqual(document.input.features, ["q1", "q2", "q3"])
        XCTAssertEqual(document.fit.order, 4)
        XCTAssertEqual(document.fit.centerKind, "minimum")
    }

    func testMolecularErrorsAreOneLineWithTheFileAndExitCodes() throws {
        let dir = try TemporaryDirectory()
        // Wrong atom count for the columns: bad data (65).
        let wrong = try CommandRunner.run(["analyze", Self.example("water-cartesian.csv"), "--molecule", "O,H"], in: dir.url)
        XCTAssertEqual(wrong.status, 65, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("water-cartesian.csv"), wrong.stderr)
        XCTAssertEqual(wrong.stderr.split(separator: "\n").count, 1, wrong.stderr)
        // A unit that does not exist, and a molecular option on a plain table: usage (64).
        let unit = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--energy-unit", "erg"], in: dir.url)
        XCTAssertEqual(unit.status, 64, unit.stderr)
        try dir.write("plain.csv", "x,y\n1,2\n2,3\n")
        let plain = try CommandRunner.run(["analyze", "plain.csv", "--energy-unit", "hartree"], in: dir.url)
        XCTAssertEqual(plain.status, 64, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("--energy-unit"), plain.stderr)
        // A missing label key.
        let label = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--label", "REF_energy"], in: dir.url)
        XCTAssertEqual(label.status, 65, label.stderr)
        XCTAssertTrue(label.stderr.contains("REF_energy"), label.stderr)
    }
}
