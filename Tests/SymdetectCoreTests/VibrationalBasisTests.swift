import XCTest
@testable import SymdetectCore

/// Oracles: translations and infinitesimal rotations built here about the laboratory axes (not
/// the principal axes the library uses), exact orthonormality, the textbook counts 3N − 6 and
/// 3N − 5, and exact round trips through the coordinates.
final class VibrationalBasisTests: XCTestCase {
    typealias F = MoleculeFixtures

    /// √mᵢ eₐ (translations) and √mᵢ (eₐ × rᵢ) (rotations about the lab axes through the centre of mass).
    static func externalMotions(_ p: [Double], _ m: [Double]) -> [[Double]] {
        let com = F.centerOfMass(p, m)
        var out: [[Double]] = []
        for a in 0..<3 {
            var t = [Double](repeating: 0, count: p.count)
            for i in 0..<m.count { t[3 * i + a] = m[i].squareRoot() }
            out.append(t)
        }
        for a in 0..<3 {
            var e = [0.0, 0.0, 0.0]
            e[a] = 1
            var v = [Double](repeating: 0, count: p.count)
            for i in 0..<m.count {
                let r = (0..<3).map { p[3 * i + $0] - com[$0] }
                let c = [e[1] * r[2] - e[2] * r[1], e[2] * r[0] - e[0] * r[2], e[0] * r[1] - e[1] * r[0]]
                for k in 0..<3 { v[3 * i + k] = m[i].squareRoot() * c[k] }
            }
            out.append(v)
        }
        return out
    }

    func testCountsOrthonormalityAndOrthogonalityToRigidMotions() throws {
        let cases: [(F.Molecule, Int, Bool)] = [
            (F.water, 3, false), (F.ammonia, 6, false), (F.carbonDioxide, 4, true),
            (F.hydrogenChloride, 1, true), (F.randomMolecule(seed: 7), 15, false),
        ]
        for (mol, expected, linear) in cases {
            let basis = try VibrationalBasis(positions: CartesianPositions.nested(mol.positions), species: mol.species)
            XCTAssertEqual(basis.count, expected, "\(mol.species)")
            XCTAssertEqual(basis.isLinear, linear, "\(mol.species)")
            let b = basis.vectors
            let gram = b.transposed * b
            XCTAssertLessThan(gram.maxAbsDifference(.identity(expected)), 1e-12, "\(mol.species)")
            for motion in Self.externalMotions(mol.positions, mol.masses) {
                let overlap = b.transposed * motion
                XCTAssertLessThan(overlap.map(abs).max()!, 1e-12, "\(mol.species)")
            }
            // Basis plus external vectors complete R^{3N}.
            let e = basis.externalVectors
            XCTAssertEqual(e.columns + b.columns, 3 * mol.atomCount)
            let projector = b * b.transposed + e * e.transposed
            XCTAssertLessThan(projector.maxAbsDifference(.identity(3 * mol.atomCount)), 1e-12)
        }
        let atom = try VibrationalBasis(positions: [[1, 2, 3]], species: ["Ar"])
        XCTAssertEqual(atom.count, 0)
        XCTAssertEqual(try atom.vibrationalCoordinates(of: [4, 5, 6]), [])
    }

    func testLinearityComesFromTheInertiaTensor() throws {
        // CO₂ bent by 1° is not linear at the default tolerance (I_min/I_max ≈ 2e-5); bent by
        // 0.01° (≈ 2e-9) it is, and so is the 1° bend with a tolerance of 1e-4.
        func bent(_ degrees: Double) -> [Double] {
            let half = 0.5 * degrees * Double.pi / 180
            return [0, -1.16 * sin(half), -1.16 * cos(half), 0, 0, 0, 0, -1.16 * sin(half), 1.16 * cos(half)]
        }
        let masses = F.carbonDioxide.masses
        let basis = try VibrationalBasis(reference: try EckartReference(positions: bent(1), masses: masses))
        XCTAssertFalse(basis.isLinear)
        XCTAssertEqual(basis.count, 3)
        let slightly = try VibrationalBasis(reference: try EckartReference(positions: bent(0.01), masses: masses))
        XCTAssertTrue(slightly.isLinear)
        XCTAssertEqual(slightly.count, 4)
        let loose = try VibrationalBasis(reference: try EckartReference(positions: bent(1), masses: masses),
                                         linearityTolerance: 1e-4)
        XCTAssertTrue(loose.isLinear)
        XCTAssertEqual(loose.count, 4)
        let moments = try InertiaTensor(positions: F.carbonDioxide.positions, masses: F.carbonDioxide.masses).principalMoments
        XCTAssertEqual(moments[0], 0, accuracy: 1e-14)
        XCTAssertEqual(moments[2], 2 * F.mO * 1.16 * 1.16, accuracy: 1e-12)
    }

    /// frame → s → frame, for distorted frames in random orientations.
    func testCoordinatesRoundTripThroughTheEckartFrame() throws {
        var rng = SeededGenerator(seed: 21)
        for mol in [F.water, F.ammonia, F.carbonDioxide, F.randomMolecule(seed: 2)] {
            let basis = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
            for _ in 0..<5 {
                let distorted = mol.positions.map { $0 + 0.05 * rng.nextGaussian() }
                let frame = F.move(distorted, rotation: F.randomRotation(&rng), translation: [3, -1, 2])
                let alignment = try basis.reference.align(frame)
                let s = try basis.vibrationalCoordinates(of: frame)
                XCTAssertEqual(s.count, basis.count)
                XCTAssertLessThan(F.maxAbs(try basis.cartesian(from: s), alignment.positions), 1e-12, "\(mol.species)")
                XCTAssertLessThan(F.maxAbs(try basis.cartesian(from: s, placedAs: alignment), frame), 1e-12, "\(mol.species)")
                // The coordinates' norm is the mass-weighted distance to the reference.
                let md = basis.massWeightedDisplacement(alignment.positions)
                XCTAssertEqual(dot(s, s), dot(md, md), accuracy: 1e-12)
            }
            XCTAssertEqual(try basis.vibrationalCoordinates(of: mol.positions).map(abs).max()!, 0, accuracy: 1e-12)
        }
    }

    /// For a non-linear molecule the coordinates of a frame do not depend on where the frame
    /// sits or how it is turned.
    func testCoordinatesDoNotDependOnTheFrameOrientation() throws {
        var rng = SeededGenerator(seed: 41)
        for mol in [F.water, F.ammonia, F.randomMolecule(seed: 12)] {
            let basis = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
            let distorted = mol.positions.map { $0 + 0.05 * rng.nextGaussian() }
            let s = try basis.vibrationalCoordinates(of: distorted)
            for _ in 0..<5 {
                let t = (0..<3).map { _ in rng.uniform(-20, 20) }
                let moved = F.move(distorted, rotation: F.randomRotation(&rng), translation: t)
                XCTAssertLessThan(F.maxAbs(try basis.vibrationalCoordinates(of: moved), s), 1e-12, "\(mol.species)")
            }
        }
    }

    func testBasisIsDeterministic() throws {
        let mol = F.randomMolecule(seed: 8)
        let a = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
        let b = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
        XCTAssertEqual(a.vectors, b.vectors)
        XCTAssertEqual(a.externalVectors, b.externalVectors)
    }

    /// Spring-network energy V = ½ Σ kᵢⱼ (rᵢⱼ − rᵢⱼ⁰)², evaluated exactly (not harmonically).
    static func springEnergy(_ p: [Double], reference r: [Double], k: [Double]) -> (energy: Double, gradient: [Double]) {
        let n = p.count / 3
        var e = 0.0, g = [Double](repeating: 0, count: p.count), idx = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let d = (0..<3).map { p[3 * j + $0] - p[3 * i + $0] }
                let d0 = (0..<3).map { r[3 * j + $0] - r[3 * i + $0] }
                let len = d.map { $0 * $0 }.reduce(0, +).squareRoot()
                let len0 = d0.map { $0 * $0 }.reduce(0, +).squareRoot()
                e += 0.5 * k[idx] * (len - len0) * (len - len0)
                for a in 0..<3 {
                    let f = k[idx] * (len - len0) * d[a] / len
                    g[3 * j + a] += f
                    g[3 * i + a] -= f
                }
                idx += 1
            }
        }
        return (e, g)
    }

    /// Gradients: g_s from a lab-frame gradient matches central differences of E(a(s)), and
    /// mapping g_s back gives the Cartesian gradient in the Eckart frame (R g) exactly.
    func testGradientsBetweenCartesianAndVibrationalCoordinates() throws {
        var rng = SeededGenerator(seed: 31)
        for mol in [F.water, F.ammonia, F.carbonDioxide, F.randomMolecule(seed: 3)] {
            let n = mol.atomCount
            let k = (0..<(n * (n - 1) / 2)).map { _ in rng.uniform(5, 40) }
            let basis = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
            let distorted = mol.positions.map { $0 + 0.05 * rng.nextGaussian() }
            let frame = F.move(distorted, rotation: F.randomRotation(&rng), translation: [1, 1, 1])
            let alignment = try basis.reference.align(frame)
            let labGradient = Self.springEnergy(frame, reference: mol.positions, k: k).gradient
            let s = try basis.vibrationalCoordinates(of: frame)
            let gs = try basis.vibrationalGradient(fromCartesianGradient: labGradient, alignment: alignment)

            let h = 1e-5
            for j in 0..<basis.count {
                var sp = s, sm = s
                sp[j] += h; sm[j] -= h
                let ep = Self.springEnergy(try basis.cartesian(from: sp), reference: mol.positions, k: k).energy
                let em = Self.springEnergy(try basis.cartesian(from: sm), reference: mol.positions, k: k).energy
                XCTAssertEqual(gs[j], (ep - em) / (2 * h), accuracy: 1e-7 * max(1, abs(gs[j])), "\(mol.species) s\(j + 1)")
            }
            let back = try basis.cartesianGradient(fromVibrationalGradient: gs, at: s)
            let expected = alignment.toEckartFrame.apply(toVectors: labGradient)
            XCTAssertLessThan(F.maxAbs(back, expected), 1e-11 * max(1, expected.map(abs).max()!), "\(mol.species)")
            XCTAssertLessThan(F.maxAbs(alignment.toFrame.apply(toVectors: back), labGradient), 1e-11 * max(1, expected.map(abs).max()!))
        }
    }
}
