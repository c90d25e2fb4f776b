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

    /// The report's recommended `augment` command on molecular frames writes extended XYZ next
    /// to the input, repeats the molecular options, and runs: the frames and their C2 images.
    func testRecommendedAugmentCommandWritesFramesAndRuns() throws {
        let dir = try TemporaryDirectory()
        try Data(contentsOf: URL(fileURLWithPath: Self.example("water.extxyz"))).write(to: dir.url.appendingPathComponent("water.extxyz"))
        let run = try CommandRunner.run(["analyze", "water.extxyz", "--energy-unit", "eV", "--report", "w.md", "--json", "w.json"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("w.json")))
        let expected = "symdetect augment water.extxyz --op 'perm(2,3)·C2' --scheme naive --energy-unit eV -o water-augmented.extxyz"
        XCTAssertEqual(document.recommendation.command, expected)
        let markdown = try String(contentsOfFile: dir.path("w.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains(expected), markdown)

        let augment = try CommandRunner.run(["augment", "water.extxyz", "--op", "perm(2,3)·C2", "--scheme", "naive",
                                             "--energy-unit", "eV", "-o", "water-augmented.extxyz"], in: dir.url)
        XCTAssertEqual(augment.status, 0, augment.stderr)
        let frames = try ExtendedXYZReader.read(path: dir.path("water-augmented.extxyz"))
        XCTAssertEqual(frames.frameCount, 600)
    }

    /// `--label dipole_x` names a property, not the energy: the normal modes still come from the
    /// frames' energies and forces (the same wavenumbers as the energy's analysis), and the C2
    /// that exchanges the hydrogens flips the dipole's x component (Eckart frame), so it is absent.
    /// A frame without the key is bad data; augment, which writes energies and forces, refuses it.
    func testPropertyLabelIsAnalysedInTheEnergysNormalModes() throws {
        let dir = try TemporaryDirectory()
        let water = Self.example("water.extxyz")
        let energy = try CommandRunner.run(["analyze", water, "--learning-curve", "off", "--report", "e.md", "--json", "e.json"], in: dir.url)
        let dipole = try CommandRunner.run(["analyze", water, "--label", "dipole_x", "--learning-curve", "off", "--report", "d.md", "--json", "d.json"], in: dir.url)
        XCTAssertEqual(energy.status, 0, energy.stderr)
        XCTAssertEqual(dipole.status, 0, dipole.stderr)
        let e = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("e.json")))
        let d = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("d.json")))
        XCTAssertEqual(d.input.label, "dipole_x")
        let (fe, fd) = (try XCTUnwrap(e.molecule?.frequencies), try XCTUnwrap(d.molecule?.frequencies))
        XCTAssertEqual(fe.count, fd.count)
        for (a, b) in zip(fe, fd) {
            let (x, y) = (try XCTUnwrap(a), try XCTUnwrap(b))
            XCTAssertEqual(x, y, accuracy: 1e-9 * x)
        }
        XCTAssertEqual(d.operations.first { $0.kind == "pointGroup" }?.verdict, "absent")
        let report = try String(contentsOfFile: dir.path("d.md"), encoding: .utf8)
        XCTAssertFalse(report.contains("0.061 eV"), "the dipole is not in the energy unit")

        let missing = try CommandRunner.run(["analyze", Self.example("co2.extxyz"), "--label", "dipole_x"], in: dir.url)
        XCTAssertEqual(missing.status, 65, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("frame 1 has no key 'dipole_x'"), missing.stderr)
        let augment = try CommandRunner.run(["augment", water, "--label", "dipole_x", "--op", "C2", "-o", "a.extxyz"], in: dir.url)
        XCTAssertEqual(augment.status, 64, augment.stderr)
    }

    /// The same frames as a CSV of Cartesian coordinates with --molecule give the same molecule
    /// and verdicts (the CSV has no forces: the extended XYZ is read with --no-forces).
    func testCartesianCSVWithMoleculeAgreesWithExtendedXYZ() throws {
        let dir = try TemporaryDirectory()
        // The learning curve is not the subject here.
        let xyz = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--no-forces", "--report", "a.md", "--json", "a.json",
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

    /// `--no-forces` reproduces the energy-only analysis the tool made before forces entered the
    /// fit: the `fit`, `operations`, `molecule`, `group` and `modelAdequacy` blocks equal those
    /// of the report committed then (`Fixtures/water_frames_energies_only.json`), apart from the
    /// fields added since (the equation counts, the force weight, and whether the point group acts
    /// continuously on the modes).
    func testNoForcesReproducesTheEnergyOnlyAnalysis() throws {
        let dir = try TemporaryDirectory()
        let run = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--no-forces", "--report", "a.md", "--json", "a.json"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        func blocks(_ url: URL) throws -> [String: Any] {
            var d = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var fit = try XCTUnwrap(d["fit"] as? [String: Any])
            for key in ["equations", "forceEquations", "forceWeight", "forceWeightSource", "forceRmse"] { fit[key] = nil }
            d["fit"] = fit
            if var molecule = d["molecule"] as? [String: Any], var group = molecule["pointGroup"] as? [String: Any] {
                group["continuousOnModes"] = nil
                molecule["pointGroup"] = group
                d["molecule"] = molecule
            }
            return d.filter { ["fit", "operations", "molecule", "group", "modelAdequacy"].contains($0.key) }
        }
        let fixture = Self.repository.appendingPathComponent("Tests/SymdetectCoreTests/Fixtures/water_frames_energies_only.json")
        let now = try blocks(dir.url.appendingPathComponent("a.json")), before = try blocks(fixture)
        XCTAssertEqual(now.count, 5)
        for key in now.keys.sorted() {
            XCTAssertEqual(now[key] as? NSObject, before[key] as? NSObject, "\(key) differs from the energy-only analysis")
        }
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("a.json")))
        XCTAssertEqual(document.fit.forceEquations, 0)
        XCTAssertNil(document.fit.forceWeight)
        XCTAssertEqual(document.fit.equations, 300)
    }

    /// With forces (the default) the fit has 1 + 3 equations per frame; `--force-weight` sets
    /// W; the flags are checked and apply to molecular input only.
    func testForcesEnterTheFitWithTheirWeight() throws {
        let dir = try TemporaryDirectory()
        let estimated = try CommandRunner.run(["fit", Self.example("water.extxyz"), "--json", "a.json"], in: dir.url)
        XCTAssertEqual(estimated.status, 0, estimated.stderr)
        let a = try JSONDecoder().decode(FitDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("a.json")))
        XCTAssertEqual(a.fit.forceEquations, 900)
        XCTAssertEqual(a.fit.equations, 1200)
        XCTAssertEqual(a.fit.forceWeightSource, "estimated")
        XCTAssertEqual(a.fit.residualDegreesOfFreedom, 1200 - 35)
        let given = try CommandRunner.run(["fit", Self.example("water.extxyz"), "--force-weight", "0.5", "--json", "b.json"], in: dir.url)
        XCTAssertEqual(given.status, 0, given.stderr)
        let b = try JSONDecoder().decode(FitDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("b.json")))
        XCTAssertEqual(b.fit.forceWeight, 0.5)
        XCTAssertEqual(b.fit.forceWeightSource, "given")
        let report = try CommandRunner.run(["analyze", Self.example("water.extxyz"), "--report", "c.md", "--json", "c.json"], in: dir.url)
        XCTAssertEqual(report.status, 0, report.stderr)
        let markdown = try String(contentsOfFile: dir.path("c.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("- Forces in the fit: 300 energies and 900 force components"), markdown)
        XCTAssertTrue(markdown.contains("leave-one-out leaves out whole frames"), markdown)

        for bad in [["--force-weight", "0"], ["--force-weight", "-1"], ["--force-weight", "1", "--no-forces"]] {
            let run = try CommandRunner.run(["analyze", Self.example("water.extxyz")] + bad, in: dir.url)
            XCTAssertEqual(run.status, 64, "\(bad): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        }
        try dir.write("plain.csv", "x,y\n1,2\n2,3\n")
        for flag in [["--no-forces"], ["--force-weight", "2"]] {
            let run = try CommandRunner.run(["fit", "plain.csv"] + flag, in: dir.url)
            XCTAssertEqual(run.status, 64, run.stderr)
            XCTAssertTrue(run.stderr.contains(flag[0]), run.stderr)
        }
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

    /// 100 CO₂ frames without their forces cannot support order 4 in its 3N − 5 = 4 coordinates
    /// (70 coefficients, 140 frames): analyze lowers the order to 3 and says so in the report and
    /// the JSON. (With their forces, 5 equations per frame, the same frames support order 4.)
    func testLinearMoleculeWithFewFramesLowersTheOrderWithAWarning() throws {
        let dir = try TemporaryDirectory()
        let lines = try String(contentsOfFile: Self.example("co2.extxyz"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(5 * 100).joined(separator: "\n") + "\n").write(to: dir.url.appendingPathComponent("co2-100.extxyz"), atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["analyze", "co2-100.extxyz", "--no-forces", "--report", "co2.md", "--json", "co2.json"], in: dir.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try JSONDecoder().decode(AnalysisDocument.self, from: Data(contentsOf: dir.url.appendingPathComponent("co2.json")))
        XCTAssertEqual(document.molecule?.fitOrder, 3)
        XCTAssertEqual(document.molecule?.pointGroup.name, "D∞h")
        let warning = "order 4 needs 140 frames (2 per coefficient) and there are 100: the Taylor models use order 3"
        XCTAssertTrue(document.warnings.contains(warning), "\(document.warnings)")
        let markdown = try String(contentsOfFile: dir.path("co2.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains(warning), markdown)
        XCTAssertTrue(markdown.contains("as a **continuous** group"), markdown)
    }
}
