import XCTest
@testable import SymdetectCore

/// Oracles: a rigidly moved copy of the reference must come back exactly with the inverse of
/// the motion; for a distorted frame the Eckart conditions (Σ mᵢ dᵢ = 0, Σ mᵢ rᵢ × aᵢ = 0) must
/// hold and no nearby rotation may give a smaller mass-weighted RMSD.
final class EckartFrameTests: XCTestCase {
    typealias F = MoleculeFixtures

    func testRigidlyMovedMoleculeAlignsBackAndRecoversTheMotion() throws {
        var rng = SeededGenerator(seed: 11)
        for seed in 1...20 as ClosedRange<UInt64> {
            let mol = F.randomMolecule(seed: seed)
            let reference = try EckartReference(positions: mol.positions, masses: mol.masses)
            let q = F.randomRotation(&rng)
            let t = (0..<3).map { _ in rng.uniform(-10, 10) }
            let frame = F.move(mol.positions, rotation: q, translation: t)
            let alignment = try reference.align(frame)

            // Reference centred by the test itself.
            let com = F.centerOfMass(mol.positions, mol.masses)
            let centred = mol.positions.enumerated().map { $0.element - com[$0.offset % 3] }
            XCTAssertLessThan(F.maxAbs(alignment.positions, centred), 1e-12, "seed \(seed)")
            XCTAssertLessThan(F.maxAbs(reference.positions, centred), 1e-14)
            XCTAssertLessThan(F.maxAbs(F.centerOfMass(alignment.positions, mol.masses), [0, 0, 0]), 1e-13)
            // frame = Q ref + t  ⇒  R = Qᵀ and the frame's centre of mass is Q com + t.
            XCTAssertLessThan(alignment.rotation.maxAbsDifference(Matrix(F.transpose(q))), 1e-12, "seed \(seed)")
            XCTAssertEqual(Rotation3.determinant(alignment.rotation), 1, accuracy: 1e-13)
            let expectedCOM = F.move(com, rotation: q, translation: t)
            XCTAssertLessThan(F.maxAbs(alignment.centerOfMass, expectedCOM), 1e-12)
            XCTAssertLessThan(alignment.weightedRMSD, 1e-12)
            // Moving back.
            XCTAssertLessThan(F.maxAbs(alignment.toFrame.apply(toPositions: alignment.positions), frame), 1e-12)
            XCTAssertLessThan(F.maxAbs(alignment.toEckartFrame.apply(toPositions: frame), alignment.positions), 1e-12)
            XCTAssertLessThan(F.maxAbs(alignment.toEckartFrame.inverse.apply(toPositions: alignment.positions), frame), 1e-12)
        }
    }

    /// Planar (water) and linear (CO₂) references have a rank-deficient Kabsch matrix; a rigid
    /// copy still aligns exactly (for CO₂ the rotation about the axis is free, so only positions
    /// are compared).
    func testPlanarAndLinearMoleculesAlignBack() throws {
        var rng = SeededGenerator(seed: 5)
        for mol in [F.water, F.carbonDioxide, F.hydrogenChloride, F.ammonia] {
            let reference = try EckartReference(positions: CartesianPositions.nested(mol.positions), species: mol.species)
            for _ in 0..<10 {
                let q = F.randomRotation(&rng)
                let frame = F.move(mol.positions, rotation: q, translation: [1, -2, 3])
                let alignment = try reference.align(frame)
                XCTAssertLessThan(F.maxAbs(alignment.positions, reference.positions), 1e-12, "\(mol.species)")
                XCTAssertEqual(Rotation3.determinant(alignment.rotation), 1, accuracy: 1e-13)
                if mol.species.count > 2 && mol.species != F.carbonDioxide.species {
                    XCTAssertLessThan(alignment.rotation.maxAbsDifference(Matrix(F.transpose(q))), 1e-12, "\(mol.species)")
                }
            }
        }
    }

    func testDistortedFrameSatisfiesEckartConditionsAndMinimisesRMSD() throws {
        var rng = SeededGenerator(seed: 99)
        for seed in 1...10 as ClosedRange<UInt64> {
            let mol = F.randomMolecule(seed: seed)
            let m = mol.masses
            let reference = try EckartReference(positions: mol.positions, masses: m)
            let distorted = mol.positions.map { $0 + 0.1 * rng.nextGaussian() }
            let frame = F.move(distorted, rotation: F.randomRotation(&rng), translation: [0.5, 4, -7])
            let alignment = try reference.align(frame)
            let a = alignment.positions, r = reference.positions
            var net = [0.0, 0.0, 0.0], angular = [0.0, 0.0, 0.0]
            for i in 0..<m.count {
                let ri = Array(r[(3 * i)..<(3 * i + 3)]), ai = Array(a[(3 * i)..<(3 * i + 3)])
                let cr = [ri[1] * ai[2] - ri[2] * ai[1], ri[2] * ai[0] - ri[0] * ai[2], ri[0] * ai[1] - ri[1] * ai[0]]
                for k in 0..<3 { net[k] += m[i] * (ai[k] - ri[k]); angular[k] += m[i] * cr[k] }
            }
            XCTAssertLessThan(net.map(abs).max()!, 1e-12)
            XCTAssertLessThan(angular.map(abs).max()!, 1e-11, "Eckart rotational conditions, seed \(seed)")
            // No small extra rotation lowers the mass-weighted RMSD.
            func msd(_ p: [Double]) -> Double {
                var s = 0.0
                for i in 0..<(3 * m.count) { s += m[i / 3] * (p[i] - r[i]) * (p[i] - r[i]) }
                return s
            }
            let best = msd(a)
            XCTAssertEqual((best / m.reduce(0, +)).squareRoot(), alignment.weightedRMSD, accuracy: 1e-13)
            for _ in 0..<50 {
                let axis = (0..<3).map { _ in rng.nextGaussian() }
                let angle = 1e-3 * rng.nextGaussian()
                let n = axis.map { $0 * $0 }.reduce(0, +).squareRoot()
                let u = axis.map { $0 / n }
                let (cs, sn) = (cos(angle), sin(angle))
                let k: [[Double]] = [[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]]
                let k2 = F.matmul(k, k)
                var rot = [[Double]](repeating: [0, 0, 0], count: 3)
                for i in 0..<3 {
                    for j in 0..<3 {
                        let delta: Double = i == j ? 1 : 0
                        rot[i][j] = delta + sn * k[i][j] + (1 - cs) * k2[i][j]
                    }
                }
                XCTAssertGreaterThanOrEqual(msd(F.move(a, rotation: rot, translation: [0, 0, 0])), best - 1e-12)
            }
        }
    }

    /// The mirror image of a chiral frame cannot be reached by a proper rotation; with improper
    /// matrices allowed Kabsch finds the reflection (det −1) and a perfect fit.
    func testMirrorImageNeedsAnImproperMatrix() throws {
        var rng = SeededGenerator(seed: 3)
        let mol = F.randomMolecule(seed: 4)
        let reference = try EckartReference(positions: mol.positions, masses: mol.masses)
        let q = F.randomRotation(&rng)
        let mirrored = F.move(reference.positions, rotation: [[-1, 0, 0], [0, 1, 0], [0, 0, 1]], translation: [0, 0, 0])
        let frame = F.move(mirrored, rotation: q, translation: [0, 0, 0])
        let alignment = try reference.align(frame)
        XCTAssertEqual(Rotation3.determinant(alignment.rotation), 1, accuracy: 1e-13)
        XCTAssertGreaterThan(alignment.weightedRMSD, 0.1)

        let improper = try Kabsch.rotation(aligning: frame, onto: reference.positions, masses: mol.masses, allowImproper: true)
        XCTAssertEqual(Rotation3.determinant(improper), -1, accuracy: 1e-13)
        let back = Rotation3.apply(improper, toEachAtomOf: frame)
        XCTAssertLessThan(F.maxAbs(back, reference.positions), 1e-12)
    }

    func testRefusesMismatchedOrNonFiniteFrames() throws {
        let reference = try EckartReference(positions: F.water.positions, masses: F.water.masses)
        XCTAssertThrowsError(try reference.align([0, 0, 0])) { error in
            XCTAssertEqual(error as? MoleculeError, .sizeMismatch(what: "frame positions", expected: 9, got: 3))
        }
        var bad = F.water.positions
        bad[4] = .nan
        XCTAssertThrowsError(try reference.align(bad)) { error in
            XCTAssertEqual(error as? MoleculeError, .nonFinite(what: "frame positions"))
        }
        XCTAssertThrowsError(try EckartReference(positions: F.water.positions, masses: [16, 1, 0]))
    }
}
