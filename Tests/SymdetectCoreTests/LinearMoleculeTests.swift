import Foundation
import XCTest
@testable import SymdetectCore

/// Linear molecules (3N − 5 vibrations): a valence force field of CO₂ whose harmonic wavenumbers
/// have closed forms, and real RHF/6-31G* frames of CO₂ (`examples/co2.extxyz`) against PySCF's
/// analytic-Hessian harmonic analysis (`Fixtures/co2_pyscf_reference.json`).
final class LinearMoleculeTests: XCTestCase {
    struct Reference: Decodable {
        struct Harmonic: Decodable { let wavenumbers_cm: [Double] }
        struct Group: Decodable { let name: String }
        let harmonic: Harmonic
        let pointGroup: Group
    }

    static func reference() throws -> Reference {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "co2_pyscf_reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    nonisolated(unsafe) static var cachedFrames: MolecularFrames?
    static func co2Frames() throws -> MolecularFrames {
        if let cachedFrames { return cachedFrames }
        let f = try ExtendedXYZReader.read(path: MolecularPipelineTests.example("co2.extxyz"))
        cachedFrames = f
        return f
    }

    nonisolated(unsafe) static var cachedTable: MolecularTable?
    static func co2() throws -> MolecularTable {
        if let cachedTable { return cachedTable }
        let t = try MolecularTable(frames: try co2Frames())
        cachedTable = t
        return t
    }

    nonisolated(unsafe) static var cachedAnalysis: AnalysisResult?
    static func co2Analysis() throws -> AnalysisResult {
        if let cachedAnalysis { return cachedAnalysis }
        let r = try Analyzer.run(try co2(), AnalysisConfiguration())
        cachedAnalysis = r
        return r
    }

    /// O–C–O with E = k Σ (r − r₀)² + ½ F_δ δ² (δ = π − ∠OCO; eV, Å), frames displaced at random
    /// and moved rigidly. Wilson GF closed forms for a linear Y–X–Y (G of the symmetric and
    /// antisymmetric stretch and of each bend; F_r = 2k):
    ///   λ_s = F_r / m_Y,  λ_a = F_r (1/m_Y + 2/m_X),  λ_b = (2 F_δ / r₀²)(1/m_Y + 2/m_X).
    func testValenceForceFieldOfCO2GivesTheClosedFormWavenumbersAndDInfinityH() throws {
        let k = 10.0, fDelta = 1.0, r0 = 1.16
        var rng = SeededGenerator(seed: 7)
        var positions: [Double] = [], energies: [Double] = []
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        for f in 0..<300 {
            let d = (0..<9).map { _ in f == 0 ? 0 : 0.01 * rng.nextGaussian() }
            let p = [0, 0, -r0, 0, 0, 0, 0, 0, r0].enumerated().map { $0.element + d[$0.offset] }
            let o1 = Array(p[0..<3]), c = Array(p[3..<6]), o2 = Array(p[6..<9])
            let r1 = distance(o1, c), r2 = distance(o2, c)
            let cosine = zip(zip(o1, o2), c).map { ($0.0 - $1) * ($0.1 - $1) }.reduce(0, +) / (r1 * r2)
            let bend = Double.pi - acos(max(-1, min(1, cosine)))
            let rotation = MoleculeFixtures.randomRotation(&rng)
            positions += MoleculeFixtures.move(p, rotation: rotation, translation: (0..<3).map { _ in rng.uniform(-3, 3) })
            energies.append(k * ((r1 - r0) * (r1 - r0) + (r2 - r0) * (r2 - r0)) + 0.5 * fDelta * bend * bend)
        }
        let frames = MolecularFrames(species: ["O", "C", "O"], positions: positions, energies: energies, labelKey: "energy")
        let t = try MolecularTable(frames: frames)
        let s = t.summary
        XCTAssertEqual(s.pointGroupName, "D∞h")
        XCTAssertNil(s.pointGroupOrder)
        XCTAssertNil(s.orderOnModes, "the rotations about the axis act continuously on the bending pair")
        XCTAssertEqual(s.modes.count, 4, "3N − 5")
        let (mX, mY) = (MoleculeFixtures.mC, MoleculeFixtures.mO)
        let fr = 2 * k
        let lambdas = [2 * fDelta / (r0 * r0) * (1 / mY + 2 / mX), 2 * fDelta / (r0 * r0) * (1 / mY + 2 / mX),
                       fr / mY, fr * (1 / mY + 2 / mX)]
        let expected = lambdas.map { MoleculeFixtures.wavenumber(lambda: $0, energyJoules: MoleculeFixtures.eV, lengthMeters: 1e-10) }
        for (got, want) in zip(s.frequencies, expected) {
            XCTAssertLessThan(abs(got - want) / want, 1e-3, "wavenumber \(got) vs closed form \(want) cm⁻¹")
        }
        XCTAssertEqual(s.modes.map(\.isDegenerate), [true, true, false, false])
        let eq = s.equilibrium
        XCTAssertEqual(distance(eq[0], eq[1]), r0, accuracy: 1e-4)
        XCTAssertEqual(distance(eq[0], eq[1]), distance(eq[2], eq[1]), accuracy: 1e-12)
    }

    /// H–C–N (C∞v) with E = k₁(r₁ − r₁⁰)² + k₂(r₂ − r₂⁰)² + ½ F_δ δ². Wilson GF closed forms
    /// (μ = 1/m): the stretches are the eigenvalues of F G with F = diag(2k₁, 2k₂),
    /// G = [[μ_H + μ_C, −μ_C], [−μ_C, μ_C + μ_N]]; the bend λ_b = F_δ (μ_H/r₁² + μ_N/r₂² + μ_C (1/r₁ + 1/r₂)²).
    func testValenceForceFieldOfHCNGivesTheClosedFormWavenumbersAndCInfinityV() throws {
        let (k1, k2, fDelta, r1, r2) = (20.0, 60.0, 1.5, 1.06, 1.15)
        var rng = SeededGenerator(seed: 5)
        var positions: [Double] = [], energies: [Double] = []
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        for f in 0..<300 {
            let d = (0..<9).map { _ in f == 0 ? 0 : 0.008 * rng.nextGaussian() }
            let p = [0, 0, -r1, 0, 0, 0, 0, 0, r2].enumerated().map { $0.element + d[$0.offset] }
            let h = Array(p[0..<3]), c = Array(p[3..<6]), n = Array(p[6..<9])
            let a = distance(h, c), b = distance(n, c)
            let cosine = zip(zip(h, n), c).map { ($0.0 - $1) * ($0.1 - $1) }.reduce(0, +) / (a * b)
            let bend = Double.pi - acos(max(-1, min(1, cosine)))
            positions += MoleculeFixtures.move(p, rotation: MoleculeFixtures.randomRotation(&rng),
                                               translation: (0..<3).map { _ in rng.uniform(-3, 3) })
            energies.append(k1 * (a - r1) * (a - r1) + k2 * (b - r2) * (b - r2) + 0.5 * fDelta * bend * bend)
        }
        let t = try MolecularTable(frames: MolecularFrames(species: ["H", "C", "N"], positions: positions,
                                                           energies: energies, labelKey: "energy"))
        let s = t.summary
        XCTAssertEqual(s.pointGroupName, "C∞v")
        XCTAssertNil(s.orderOnModes)
        XCTAssertFalse(s.operations.contains { $0.name.hasSuffix("i") }, "no inversion in C∞v")
        let (mh, mc, mn) = (1 / MoleculeFixtures.mH, 1 / MoleculeFixtures.mC, 1 / MoleculeFixtures.mN)
        let (f1, f2) = (2 * k1, 2 * k2)
        // F G = [[f1 (mh + mc), −f1 mc], [−f2 mc, f2 (mc + mn)]]: trace and determinant.
        let trace = f1 * (mh + mc) + f2 * (mc + mn)
        let det = f1 * f2 * ((mh + mc) * (mc + mn) - mc * mc)
        let root = (trace * trace / 4 - det).squareRoot()
        let bend = fDelta * (mh / (r1 * r1) + mn / (r2 * r2) + mc * (1 / r1 + 1 / r2) * (1 / r1 + 1 / r2))
        let expected = [bend, bend, trace / 2 - root, trace / 2 + root]
            .map { MoleculeFixtures.wavenumber(lambda: $0, energyJoules: MoleculeFixtures.eV, lengthMeters: 1e-10) }
        for (got, want) in zip(s.frequencies, expected) {
            XCTAssertLessThan(abs(got - want) / want, 1e-3, "wavenumber \(got) vs closed form \(want) cm⁻¹")
        }
        XCTAssertEqual(t.operations.last?.name, MolecularTable.axialRotationName)
    }

    func testCO2WavenumbersMatchPySCFWithinHalfAPercent() throws {
        let ref = try Self.reference()
        let s = try Self.co2().summary
        XCTAssertEqual(s.formula, "CO2")
        XCTAssertEqual(s.frequencies.count, 4)
        for (got, want) in zip(s.frequencies, ref.harmonic.wavenumbers_cm) {
            XCTAssertLessThan(abs(got - want) / want, 0.005, "harmonic wavenumber \(got) vs PySCF \(want) cm⁻¹")
        }
        XCTAssertEqual(s.modes.map(\.isDegenerate), [true, true, false, false])
    }

    /// D∞h from the equilibrium; its finite representatives (E, C2, σv, σv, i, σh, C2', C2') and
    /// C∞ act orthogonally on q: C2 about the axis as −1 on the bending pair, i and σh as −1 on the
    /// antisymmetric stretch, C∞ as a rotation of the bending pair only.
    func testCO2PointGroupActsOnTheModesAsExpected() throws {
        let t = try Self.co2()
        let s = t.summary
        XCTAssertEqual(s.pointGroupName, try Self.reference().pointGroup.name)
        XCTAssertNil(s.orderOnModes)
        let names = s.operations.map(\.name)
        XCTAssertEqual(names.first, "E")
        XCTAssertEqual(names.last, MolecularTable.axialRotationName)
        XCTAssertEqual(s.operations.count, 9)
        for op in s.operations {
            let g = op.actionOnModes
            XCTAssertLessThan((g * g.transposed).maxAbsDifference(.identity(4)), 1e-9, op.name)
            // The symmetric stretch q3 is totally symmetric.
            XCTAssertEqual(g[2, 2], 1, accuracy: 1e-9, op.name)
        }
        let byName = Dictionary(s.operations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let c2 = try XCTUnwrap(byName["C2"]).actionOnModes
        XCTAssertEqual(c2, Matrix([[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]))
        let inversion = try XCTUnwrap(s.operations.first { $0.name.hasSuffix("i") }).actionOnModes
        XCTAssertEqual(inversion[3, 3], -1, "the antisymmetric stretch is odd under i")
        let rotation = try XCTUnwrap(t.operations.first { $0.name == MolecularTable.axialRotationName })
        XCTAssertTrue(rotation.isContinuous)
        for (g, degrees) in zip(rotation.matrices, SymmetryOperation.genericAngles) {
            XCTAssertEqual(g[0, 0], cos(degrees * .pi / 180), accuracy: 1e-9)
            XCTAssertEqual(abs(g[0, 1]), abs(sin(degrees * .pi / 180)), accuracy: 1e-9)
            XCTAssertEqual(g[2, 2], 1, accuracy: 1e-12)
            XCTAssertEqual(g[3, 3], 1, accuracy: 1e-12)
        }
        // Characters: + for both stretches under C∞ (they lie on the axis), none for the bends.
        XCTAssertEqual(s.modes[2].characters.last, 1)
        XCTAssertEqual(s.modes[0].characters.last, .some(nil))
    }

    /// The point-group operations and C∞ are exact; the reflection of the totally symmetric
    /// stretch is broken at cubic order; the group of the exact operations is continuous.
    func testCO2VerdictsPointGroupExactSymmetricStretchReflectionBroken() throws {
        let t = try Self.co2()
        let result = try Self.co2Analysis()
        let byName = Dictionary(uniqueKeysWithValues: result.operations.map { ($0.name, $0) })
        for op in t.operations {
            XCTAssertEqual(byName[op.name]?.verdict, .exact, op.name)
        }
        let stretch = try XCTUnwrap(byName["reflect(q3)"], "the symmetric stretch's reflection is tested")
        XCTAssertNotEqual(stretch.verdict, .exact, "reflect(q3) reflects the totally symmetric stretch")
        XCTAssertEqual(stretch.breakingOrder, 3)
        XCTAssertTrue(result.group.isContinuous)
    }

    /// Every frame moved by a further random rotation and translation, atoms listed as C, O, O:
    /// the same wavenumbers and point group (the bends' phase about the axis is fixed from the
    /// frame itself, not from its orientation).
    func testCO2InvariantUnderRigidMotionAndAtomOrder() throws {
        let frames = try Self.co2Frames()
        let order = [1, 2, 0]
        var rng = SeededGenerator(seed: 12)
        var positions: [Double] = [], forces: [Double] = []
        for f in 0..<frames.frameCount {
            var frame: [Double] = [], force: [Double] = []
            for a in order {
                let p = frames.position(frame: f, atom: a); frame += [p.x, p.y, p.z]
                if let F = frames.force(frame: f, atom: a) { force += [F.x, F.y, F.z] }
            }
            let rotation = MoleculeFixtures.randomRotation(&rng)
            positions += MoleculeFixtures.move(frame, rotation: rotation, translation: (0..<3).map { _ in rng.uniform(-5, 5) })
            // Forces turn with the frame and do not move with it.
            forces += MoleculeFixtures.move(force, rotation: rotation, translation: [0, 0, 0])
        }
        let moved = MolecularFrames(species: order.map { frames.species[$0] }, positions: positions,
                                    forces: frames.forces == nil ? nil : forces, energies: frames.energies, labelKey: frames.labelKey)
        let a = try Self.co2().summary, b = try MolecularTable(frames: moved).summary
        XCTAssertEqual(b.pointGroupName, a.pointGroupName)
        for (x, y) in zip(a.frequencies, b.frequencies) { XCTAssertEqual(x, y, accuracy: 1e-6 * x) }
        let ra = try Self.co2Analysis()
        let rb = try Analyzer.run(try MolecularTable(frames: moved), AnalysisConfiguration())
        XCTAssertEqual(ra.operations.map(\.verdict), rb.operations.map(\.verdict))
    }

    /// Eckart alignment to a linear reference: the aligned displacement satisfies the Eckart
    /// conditions, and the aligned positions do not depend on the frame's orientation.
    func testLinearEckartAlignmentFixesTheBendPhase() throws {
        let reference = try EckartReference(positions: [0, 0, -1.16, 0, 0, 0, 0, 0, 1.16],
                                            masses: [MoleculeFixtures.mO, MoleculeFixtures.mC, MoleculeFixtures.mO])
        XCTAssertNotNil(reference.linearAxes)
        let bent = [0.05, 0.01, -1.15, -0.03, 0.02, 0.01, 0.04, -0.02, 1.17]
        var rng = SeededGenerator(seed: 3)
        let first = try reference.align(bent, axialAngle: 0.7).positions
        for _ in 0..<5 {
            let moved = MoleculeFixtures.move(bent, rotation: MoleculeFixtures.randomRotation(&rng), translation: [1, -2, 3])
            let aligned = try reference.align(moved, axialAngle: 0.7).positions
            XCTAssertLessThan(MoleculeFixtures.maxAbs(aligned, first), 1e-12)
        }
        // Eckart: Σ mᵢ rᵢ × aᵢ = 0 (rᵢ on the axis: the perpendicular weighted sum vanishes).
        var torque = [0.0, 0.0, 0.0]
        for i in 0..<3 {
            let c = Rotation3.cross(Array(reference.positions[(3 * i)..<(3 * i + 3)]), Array(first[(3 * i)..<(3 * i + 3)]))
            for a in 0..<3 { torque[a] += reference.masses[i] * c[a] }
        }
        XCTAssertLessThan(torque.map(abs).max()!, 1e-12)
    }

    /// The coordinate operations inside D∞h's action on q (a bend coordinate's reflection, the
    /// swap and rotations of the bending pair) are recognised as its elements; the reflection of
    /// the symmetric stretch and a rotation mixing bend and stretch are not.
    func testStructureGroupMembershipOfCoordinateOperations() throws {
        let t = try Self.co2()
        let structure = try XCTUnwrap(StructureGroup(t.operations, dimension: 4))
        let names = t.table.featureNames
        XCTAssertTrue(structure.contains(.reflect(0, names: names)))
        XCTAssertTrue(structure.contains(.swap(0, 1, names: names)))
        XCTAssertTrue(structure.contains(.rotateContinuous(0, 1, names: names)))
        XCTAssertTrue(structure.contains(.rotate(0, 1, degrees: 90, names: names)))
        XCTAssertFalse(structure.contains(.reflect(2, names: names)))
        XCTAssertFalse(structure.contains(.rotate(0, 2, degrees: 90, names: names)))
        XCTAssertFalse(structure.contains(.invert(dimension: 4)))
    }

    /// Augmenting with C∞ samples members of the rotation family: orthogonal, the stretches fixed,
    /// each a rotation of the bending pair by the angle in its name.
    func testAugmentationSamplesTheAxialRotation() throws {
        let t = try Self.co2()
        let rotation = try XCTUnwrap(t.operations.first { $0.name == MolecularTable.axialRotationName })
        let group = try AugmentationGroup(operations: [rotation], featureNames: t.table.featureNames, copies: 4)
        XCTAssertTrue(group.isContinuous)
        XCTAssertEqual(group.order, 5)
        for element in group.elements.dropFirst() {
            let g = element.matrix
            XCTAssertLessThan((g * g.transposed).maxAbsDifference(.identity(4)), 1e-12)
            XCTAssertEqual(g[2, 2], 1, accuracy: 1e-12)
            XCTAssertEqual(g[3, 3], 1, accuracy: 1e-12)
            let angle = try XCTUnwrap(Double(element.name.dropFirst(3).dropLast()))
            XCTAssertEqual(g[0, 0], cos(angle * .pi / 180), accuracy: 1e-9, element.name)
        }
    }
}
