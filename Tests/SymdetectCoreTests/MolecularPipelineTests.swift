import Foundation
import XCTest
@testable import SymdetectCore

/// The molecular pipeline on real RHF/6-31G* frames of water (`examples/water.extxyz`), against
/// PySCF's own analytic-Hessian harmonic analysis at the same level
/// (`Fixtures/water_pyscf_reference.json`).
final class MolecularPipelineTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func example(_ name: String) -> String { repository.appendingPathComponent("examples/\(name)").path }

    struct Reference: Decodable {
        struct Harmonic: Decodable { let wavenumbers_cm: [Double] }
        struct Group: Decodable { let name: String; let order: Int; let orderOfActionOnQ: Int }
        let harmonic: Harmonic
        let pointGroup: Group
    }

    static func reference() throws -> Reference {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "water_pyscf_reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// Shared by the tests: reading and transforming the frames is the same every time.
    nonisolated(unsafe) static var cachedWater: MolecularTable?
    static func water() throws -> MolecularTable {
        if let cachedWater { return cachedWater }
        let t = try MolecularTable(frames: try ExtendedXYZReader.read(path: example("water.extxyz")))
        cachedWater = t
        return t
    }

    func testWaterHarmonicWavenumbersMatchPySCFWithinHalfAPercent() throws {
        let ref = try Self.reference()
        let summary = try Self.water().summary
        XCTAssertEqual(summary.frequencies.count, 3)
        for (got, want) in zip(summary.frequencies, ref.harmonic.wavenumbers_cm) {
            XCTAssertLessThan(abs(got - want) / want, 0.005, "harmonic wavenumber \(got) vs PySCF \(want) cm⁻¹")
        }
        XCTAssertEqual(summary.formula, "H2O")
        XCTAssertEqual(summary.atoms, ["O", "H", "H"])
        XCTAssertEqual(summary.energyUnit, .electronvolt)
    }

    func testWaterPointGroupIsC2vActingOnTheModesAsAGroupOfOrderTwo() throws {
        let ref = try Self.reference()
        let water = try Self.water()
        let s = water.summary
        XCTAssertEqual(s.pointGroupName, ref.pointGroup.name)
        XCTAssertEqual(s.pointGroupOrder, ref.pointGroup.order)
        XCTAssertEqual(s.orderOnModes, ref.pointGroup.orderOfActionOnQ)
        // One operation to test: the one flipping the antisymmetric stretch q3 alone.
        XCTAssertEqual(water.operations.count, 1)
        XCTAssertEqual(water.operations.first?.matrix, Matrix([[1, 0, 0], [0, 1, 0], [0, 0, -1]]))
        XCTAssertEqual(water.operations.first?.kind, .pointGroup)
        // Characters: bend and symmetric stretch totally symmetric; the antisymmetric stretch
        // odd under C2 and one reflection, even under E and the molecular plane.
        for k in 0..<2 { XCTAssertEqual(s.modes[k].characters, [1, 1, 1, 1]) }
        XCTAssertEqual(s.modes[2].characters.compactMap { $0 }.sorted(), [-1, -1, 1, 1])
        XCTAssertEqual(s.operations.filter(\.actsTrivially).count, 2)
        // The equilibrium geometry: O–H 0.947 Å, H–O–H 105.5° at RHF/6-31G*.
        let eq = s.equilibrium
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        XCTAssertEqual(distance(eq[0], eq[1]), distance(eq[0], eq[2]), accuracy: 1e-9)
        XCTAssertEqual(distance(eq[0], eq[1]), 0.9473, accuracy: 0.002)
    }

    func testWaterVerdictsPointGroupExactTotallySymmetricReflectionsNot() throws {
        let water = try Self.water()
        let result = try Analyzer.run(water, AnalysisConfiguration())
        XCTAssertEqual(result.molecule?.pointGroupName, "C2v")
        let byName = Dictionary(uniqueKeysWithValues: result.operations.map { ($0.name, $0) })
        let flip = try XCTUnwrap(water.operations.first)
        XCTAssertEqual(byName[flip.name]?.verdict, .exact, "the point-group operation flipping q3")
        XCTAssertNil(byName["reflect(q3)"], "reflect(q3) is the same matrix, tested under the point group's name")
        for name in ["reflect(q1)", "reflect(q2)"] {
            let v = try XCTUnwrap(byName[name]?.verdict, name)
            XCTAssertNotEqual(v, .exact, "\(name) reflects a totally symmetric mode: broken at cubic order")
        }
    }

    /// `dipole_x` (Debye, x in the Eckart frame of the equilibrium) changes sign under the
    /// operations that flip the antisymmetric stretch: analysed as the label, with the modes from
    /// the energies, that operation must come out absent.
    func testDipoleComponentIsNotInvariantUnderThePointGroup() throws {
        let frames = try ExtendedXYZReader.read(path: Self.example("water.extxyz"))
        let dipole = try frames.extraInfo.map { info in
            try XCTUnwrap(info.first { $0.key == "dipole_x" }.flatMap { Double($0.value) })
        }
        let water = try MolecularTable(frames: frames, label: (name: "dipole_x", values: dipole))
        XCTAssertEqual(water.table.labelName, "dipole_x")
        let result = try Analyzer.run(water, AnalysisConfiguration())
        let flip = try XCTUnwrap(water.operations.first)
        XCTAssertEqual(result.operations.first { $0.name == flip.name }?.verdict, .absent)
    }

    /// The same frames with the atoms listed in another order (H, O, H), each frame moved by a
    /// further random rotation and translation (the forces rotated with it), give the same
    /// frequencies and point group: the forces enter the fit invariantly too.
    func testAtomOrderAndRigidMotionsDoNotChangeFrequenciesOrPointGroup() throws {
        let frames = try ExtendedXYZReader.read(path: Self.example("water.extxyz"))
        let order = [1, 0, 2]
        var rng = SeededGenerator(seed: 11)
        var positions: [Double] = [], forces: [Double] = []
        for f in 0..<frames.frameCount {
            var frame: [Double] = [], force: [Double] = []
            for a in order {
                let p = frames.position(frame: f, atom: a); frame += [p.x, p.y, p.z]
                let g = try XCTUnwrap(frames.force(frame: f, atom: a)); force += [g.x, g.y, g.z]
            }
            let rotation = MoleculeFixtures.randomRotation(&rng)
            positions += MoleculeFixtures.move(frame, rotation: rotation, translation: (0..<3).map { _ in rng.uniform(-5, 5) })
            forces += MoleculeFixtures.move(force, rotation: rotation, translation: [0, 0, 0])
        }
        let permuted = MolecularFrames(species: order.map { frames.species[$0] }, positions: positions, forces: forces,
                                       energies: frames.energies, labelKey: frames.labelKey)
        let a = try Self.water().summary, b = try MolecularTable(frames: permuted).summary
        XCTAssertEqual(b.pointGroupName, a.pointGroupName)
        XCTAssertEqual(b.orderOnModes, a.orderOnModes)
        for (x, y) in zip(a.frequencies, b.frequencies) { XCTAssertEqual(x, y, accuracy: 1e-6 * x) }
        XCTAssertEqual(b.formula, "H2O")
    }

    /// `examples/water-cartesian.csv` read with `--molecule O,H,H` holds the same frames.
    func testCartesianCSVAgreesWithExtendedXYZ() throws {
        let table = try CSVReader.read(path: Self.example("water-cartesian.csv"), options: CSVReadOptions())
        let frames = try MolecularFrames(table: table, symbols: ["O", "H", "H"])
        let csv = try MolecularTable(frames: frames).summary
        // The CSV has no forces: the extended XYZ frames without theirs.
        let xyz = try MolecularTable(frames: try ExtendedXYZReader.read(path: Self.example("water.extxyz")),
                                     options: MolecularOptions(forces: .ignored)).summary
        XCTAssertEqual(csv.pointGroupName, xyz.pointGroupName)
        for (x, y) in zip(csv.frequencies, xyz.frequencies) { XCTAssertEqual(x, y, accuracy: 1e-9 * x) }
    }

    /// The same frames in hartree and bohr, declared as such, give the same wavenumbers and the
    /// same equilibrium geometry in Å (the conversions go through SI in `NormalModes`).
    func testEnergyAndLengthUnitsAreHonoured() throws {
        let frames = try ExtendedXYZReader.read(path: Self.example("water.extxyz"))
        let bohr = LengthUnit.angstrom.convert(1, to: .bohr)
        let hartree = EnergyUnit.electronvolt.convert(1, to: .hartree)
        let converted = MolecularFrames(species: frames.species, positions: frames.positions.map { $0 * bohr },
                                        forces: frames.forces.map { $0.map { $0 * hartree / bohr } },
                                        energies: frames.energies.map { $0 * hartree }, labelKey: frames.labelKey)
        let atomic = try MolecularTable(frames: converted, options: MolecularOptions(energyUnit: .hartree, lengthUnit: .bohr)).summary
        let reference = try Self.water().summary
        XCTAssertEqual(atomic.energyUnit, .hartree)
        for (x, y) in zip(atomic.frequencies, reference.frequencies) { XCTAssertEqual(x, y, accuracy: 1e-6 * y) }
        for (a, b) in zip(atomic.equilibrium.joined(), reference.equilibrium.joined()) { XCTAssertEqual(a, b, accuracy: 1e-7) }
    }

    func testTooFewFramesLowerTheOrderWithAWarning() throws {
        let frames = try ExtendedXYZReader.read(path: Self.example("water.extxyz"))
        let n = 40   // order 3 in 3 coordinates has 20 coefficients, order 4 has 35
        let subset = MolecularFrames(species: frames.species, positions: Array(frames.positions.prefix(9 * n)),
                                     energies: Array(frames.energies.prefix(n)), labelKey: frames.labelKey)
        let t = try MolecularTable(frames: subset)
        XCTAssertEqual(t.summary.fitOrder, 3)
        XCTAssertEqual(t.summary.warnings, [.orderLowered(requested: 4, used: 3, frames: 40, coefficients: 35)])
        XCTAssertThrowsError(try MolecularTable(frames: MolecularFrames(
            species: frames.species, positions: Array(frames.positions.prefix(9 * 10)),
            energies: Array(frames.energies.prefix(10)), labelKey: frames.labelKey))) { error in
            XCTAssertEqual(error as? MoleculeError, .tooFewFrames(frames: 10, needed: 20, coordinates: 3))
        }
    }

    /// Ammonia (`examples/ammonia.extxyz`, 600 RHF/6-31G* frames): C3v of order 6 acts on its six
    /// modes faithfully; the E pairs come out degenerate, each operation acts orthogonally on q,
    /// and the wavenumbers agree with PySCF's within 0.5 %.
    func testAmmoniaC3vWithDegenerateModes() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "ammonia_pyscf_reference", withExtension: "json", subdirectory: "Fixtures"))
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let ammonia = try MolecularTable(frames: try ExtendedXYZReader.read(path: Self.example("ammonia.extxyz")))
        let s = ammonia.summary
        XCTAssertEqual(s.pointGroupName, "C3v")
        XCTAssertEqual(s.pointGroupOrder, 6)
        XCTAssertEqual(s.orderOnModes, ref.pointGroup.orderOfActionOnQ)
        XCTAssertEqual(ammonia.operations.count, 5, "every non-identity operation acts on q in its own way")
        for (got, want) in zip(s.frequencies, ref.harmonic.wavenumbers_cm) {
            XCTAssertLessThan(abs(got - want) / want, 0.005, "harmonic wavenumber \(got) vs PySCF \(want) cm⁻¹")
        }
        XCTAssertEqual(s.modes.map(\.isDegenerate), [false, true, true, false, true, true])
        XCTAssertEqual(s.modes[0].characters, [1, 1, 1, 1, 1, 1], "the umbrella mode is totally symmetric")
        for op in s.operations {
            let g = op.actionOnModes
            XCTAssertLessThan((g * g.transposed).maxAbsDifference(.identity(6)), 1e-9, op.name)
        }
    }

    /// Ammonia's labels are noise-free ab initio energies: the order-4 model's misfit is real
    /// (order-5 terms significant) but far below the target error, and the mirror test is too
    /// coarse in six dimensions; the model's breaking against its misfit still decides. Every
    /// C3v operation is exact (their model floors are of the size of the misfit), every
    /// reflection of a single normal coordinate is broken far beyond it, and the exact group is
    /// C3v's action on the modes, of order 6.
    func testAmmoniaVerdictsRestOnTheModelsBreakingAgainstItsMisfit() throws {
        let ammonia = try MolecularTable(frames: try ExtendedXYZReader.read(path: Self.example("ammonia.extxyz")))
        let r = try Analyzer.run(ammonia, AnalysisConfiguration())
        XCTAssertFalse(r.adequacy.adequate)
        for op in r.operations {
            if case .pointGroup = op.operation.kind {
                XCTAssertEqual(op.verdict, .exact, "\(op.name): \(op.basis)")
                if case .withinMisfit = op.basis {} else { XCTFail("\(op.name): \(op.basis)") }
            }
            if case .reflect = op.operation.kind {
                XCTAssertEqual(op.verdict, .absent, "\(op.name): \(op.basis)")
            }
        }
        XCTAssertEqual(r.group.order, 6)
        XCTAssertEqual(r.recommendation.gainFactor, 6)
        XCTAssertEqual(r.recommendation.scheme, .naive)
    }

    func testHillFormula() {
        XCTAssertEqual(MolecularTable.hillFormula(["O", "H", "H"]), "H2O")
        XCTAssertEqual(MolecularTable.hillFormula(["H", "C", "H", "H", "H"]), "CH4")
        XCTAssertEqual(MolecularTable.hillFormula(["N", "H", "H", "H"]), "H3N")
        XCTAssertEqual(MolecularTable.hillFormula(["C", "O", "O"]), "CO2")
    }
}
