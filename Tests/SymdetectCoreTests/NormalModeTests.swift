import Foundation
import XCTest
@testable import SymdetectCore

/// Oracles: closed-form harmonic frequencies (diatomic ω = √(k/μ); linear symmetric XY₂ with a
/// valence force field), Wilson's GF method on internal coordinates, rotation invariance, and
/// the harmonic energy ½ δxᵀ H δx evaluated directly in Cartesian coordinates.
final class NormalModeTests: XCTestCase {
    typealias F = MoleculeFixtures

    static func modes(_ mol: F.Molecule, hessian: [[Double]], energy: EnergyUnit = .electronvolt,
                      length: LengthUnit = .angstrom) throws -> NormalModes {
        let basis = try VibrationalBasis(reference: try EckartReference(positions: mol.positions, masses: mol.masses))
        return try NormalModes(cartesianHessian: Matrix(hessian), basis: basis, energyUnit: energy, lengthUnit: length)
    }

    /// H–³⁵Cl with k = 516 N/m: ν̃ = √(k/μ) / (2πc) ≈ 2990 cm⁻¹, whatever units the Hessian is in.
    func testDiatomicWavenumberMatchesClosedForm() throws {
        let k = 516.0  // N/m = J/m²
        let mu = F.mH * F.mCl / (F.mH + F.mCl) * F.amu
        let expected = (k / mu).squareRoot() / (2 * Double.pi * F.c) / 100
        XCTAssertEqual(expected, 2990, accuracy: 1)
        let mol = F.hydrogenChloride
        let unitsAndScale: [(EnergyUnit, LengthUnit, Double)] = [
            (.electronvolt, .angstrom, 1e-20 / F.eV),
            (.hartree, .bohr, F.bohr * F.bohr / F.hartree),
            (.kilocaloriePerMole, .angstrom, 1e-20 * 6.022_140_76e23 / 4184),
            (.wavenumber, .bohr, F.bohr * F.bohr / (F.h * F.c * 100)),
        ]
        for (energy, length, perSI) in unitsAndScale {
            let lengthScale = length == .bohr ? 1e-10 / F.bohr : 1
            let geometry = F.Molecule(species: mol.species, positions: mol.positions.map { $0 * lengthScale })
            let term = F.stretch(0, 1, at: geometry.positions, k: k * perSI)
            let modes = try Self.modes(geometry, hessian: F.hessian([term]), energy: energy, length: length)
            XCTAssertEqual(modes.count, 1)
            XCTAssertEqual(modes.wavenumbers[0], expected, accuracy: 1e-9 * expected, "\(energy) \(length)")
        }
    }

    /// |q| of HCl stretched by Δr: Q = √μ Δr, q = √(μω/ħ) Δr.
    func testDiatomicDimensionlessCoordinateMatchesClosedForm() throws {
        let k = 516.0
        let mu = F.mH * F.mCl / (F.mH + F.mCl) * F.amu
        let omega = (k / mu).squareRoot()
        let mol = F.hydrogenChloride
        let modes = try Self.modes(mol, hessian: F.hessian([F.stretch(0, 1, at: mol.positions, k: k * 1e-20 / F.eV)]))
        var rng = SeededGenerator(seed: 1)
        for dr in [0.01, -0.003, 0.05] {
            var stretched = mol.positions
            stretched[5] += dr
            let frame = F.move(stretched, rotation: F.randomRotation(&rng), translation: [2, 0, -1])
            let q = try modes.dimensionlessCoordinates(of: frame)
            let expected = (mu * omega / F.hbar).squareRoot() * abs(dr) * 1e-10
            XCTAssertEqual(abs(q[0]), expected, accuracy: 1e-9 * expected)
            // Harmonic energy ½ k Δr² = ½ ħω q².
            let energy = 0.5 * k * dr * dr * 1e-20
            XCTAssertEqual(0.5 * modes.dimensionlessForceConstants[0] * F.eV * q[0] * q[0], energy, accuracy: 1e-9 * energy)
        }
    }

    /// Linear symmetric XY₂ (CO₂) with bond stretches k and the two linear bends
    /// ρ = (y₁ + y₂ − 2y_X)/l with constant k_δ:
    /// λ₁ = k/m_Y, λ₃ = k(1 + 2m_Y/m_X)/m_Y, λ₂ (twice) = 2k_δ(1 + 2m_Y/m_X)/(l² m_Y).
    func testLinearSymmetricTriatomicMatchesClosedForms() throws {
        let mol = F.carbonDioxide
        let l = 1.16, k = 100.0, kBend = 3.5  // eV/Å², eV/rad²
        var terms = [F.stretch(1, 0, at: mol.positions, k: k), F.stretch(1, 2, at: mol.positions, k: k)]
        for axis in 0..<2 {
            var b = [Double](repeating: 0, count: 9)
            b[axis] = 1 / l; b[6 + axis] = 1 / l; b[3 + axis] = -2 / l
            terms.append(F.InternalTerm(b: b, k: kBend))
        }
        let modes = try Self.modes(mol, hessian: F.hessian(terms))
        XCTAssertEqual(modes.count, 4)
        XCTAssertTrue(modes.basis.isLinear)
        let (mY, mX) = (F.mO, F.mC)
        let lambdas = [2 * kBend * (1 + 2 * mY / mX) / (l * l * mY), 2 * kBend * (1 + 2 * mY / mX) / (l * l * mY),
                       k / mY, k * (1 + 2 * mY / mX) / mY].sorted()
        let expected = lambdas.map { F.wavenumber(lambda: $0, energyJoules: F.eV, lengthMeters: 1e-10) }
        for (got, want) in zip(modes.wavenumbers, expected) {
            XCTAssertEqual(got, want, accuracy: 1e-9 * want)
        }
        // Textbook shape: the symmetric stretch leaves C at rest, the antisymmetric one moves it.
        let symmetric = modes.cartesianModes.column(2)
        XCTAssertEqual(symmetric[5], 0, accuracy: 1e-12)
        XCTAssertEqual(symmetric[2], -symmetric[8], accuracy: 1e-12)
        XCTAssertGreaterThan(abs(modes.cartesianModes.column(3)[5]), 0.1)
    }

    /// Stretch-only CO₂: the bends are free (zero frequency) and have no dimensionless coordinate.
    func testVanishingModesRefuseDimensionlessCoordinates() throws {
        let mol = F.carbonDioxide
        let modes = try Self.modes(mol, hessian: F.hessian([F.stretch(1, 0, at: mol.positions, k: 100),
                                                           F.stretch(1, 2, at: mol.positions, k: 100)]))
        XCTAssertEqual(abs(modes.wavenumbers[0]), 0, accuracy: 1e-3)
        XCTAssertEqual(modes.dimensionlessScales[0], 0)
        XCTAssertThrowsError(try modes.dimensionlessCoordinates(of: mol.positions)) { error in
            XCTAssertEqual(error as? MoleculeError, .vanishingFrequency(mode: 0))
        }
    }

    /// Spring networks on all atom pairs: the nonzero eigenvalues of Wilson's F^{1/2} G F^{1/2}
    /// are the mass-weighted Hessian's vibrational eigenvalues.
    func testSpringNetworksMatchWilsonGF() throws {
        for (mol, seed) in [(F.water, UInt64(1)), (F.ammonia, 2), (F.randomMolecule(seed: 5), 3)] {
            let terms = F.springNetwork(mol.positions, seed: seed)
            let modes = try Self.modes(mol, hessian: F.hessian(terms))
            let gf = try F.wilsonGF(terms, masses: mol.masses).suffix(modes.count)
            XCTAssertEqual(modes.count, 3 * mol.atomCount - 6)
            for (got, lambda) in zip(modes.wavenumbers, gf) {
                let want = F.wavenumber(lambda: lambda, energyJoules: F.eV, lengthMeters: 1e-10)
                XCTAssertEqual(got, want, accuracy: 1e-9 * want, "\(mol.species)")
            }
            XCTAssertEqual(modes.eigenvalues.count, gf.count)
            for (a, b) in zip(modes.eigenvalues, gf) { XCTAssertEqual(a, b, accuracy: 1e-9 * b) }
        }
    }

    /// A rigidly rotated molecule with the correspondingly rotated Hessian has the same
    /// frequencies, and the six zero modes of the invariant Hessian are gone.
    func testRotatedHessianGivesTheSameFrequencies() throws {
        var rng = SeededGenerator(seed: 17)
        for mol in [F.water, F.ammonia, F.randomMolecule(seed: 9)] {
            let hessian = F.hessian(F.springNetwork(mol.positions, seed: 4))
            let base = try Self.modes(mol, hessian: hessian)
            XCTAssertTrue(base.wavenumbers.allSatisfy { $0 > 10 }, "\(base.wavenumbers)")
            for _ in 0..<5 {
                let q = F.randomRotation(&rng)
                let moved = F.Molecule(species: mol.species, positions: F.move(mol.positions, rotation: q, translation: [5, -3, 1]))
                let rotated = try Self.modes(moved, hessian: F.rotateHessian(hessian, q))
                XCTAssertEqual(rotated.count, 3 * mol.atomCount - 6)
                for (a, b) in zip(rotated.wavenumbers, base.wavenumbers) { XCTAssertEqual(a, b, accuracy: 1e-9 * b) }
            }
        }
    }

    /// Listing the atoms in another order (and permuting the Hessian alike) changes nothing.
    func testAtomOrderDoesNotChangeFrequencies() throws {
        let mol = F.randomMolecule(seed: 13)
        let hessian = F.hessian(F.springNetwork(mol.positions, seed: 14))
        let base = try Self.modes(mol, hessian: hessian)
        let order = [4, 0, 6, 2, 1, 5, 3]
        let species = order.map { mol.species[$0] }
        let positions = order.flatMap { Array(mol.positions[(3 * $0)..<(3 * $0 + 3)]) }
        let index = order.flatMap { [3 * $0, 3 * $0 + 1, 3 * $0 + 2] }
        let permuted = index.map { i in index.map { j in hessian[i][j] } }
        let other = try Self.modes(F.Molecule(species: species, positions: positions), hessian: permuted)
        for (a, b) in zip(other.wavenumbers, base.wavenumbers) { XCTAssertEqual(a, b, accuracy: 1e-10 * b) }
    }

    /// Linear CO₂: the stretches' dimensionless coordinates do not depend on the frame's
    /// orientation; the bend pair's do only up to a rotation within the pair (the rotation about
    /// the molecular axis is free), so q₁² + q₂² does not.
    func testLinearMoleculeCoordinatesUpToRotationOfTheBendPair() throws {
        let mol = F.carbonDioxide
        var terms = [F.stretch(1, 0, at: mol.positions, k: 100), F.stretch(1, 2, at: mol.positions, k: 100)]
        for axis in 0..<2 {
            var b = [Double](repeating: 0, count: 9)
            b[axis] = 1 / 1.16; b[6 + axis] = 1 / 1.16; b[3 + axis] = -2 / 1.16
            terms.append(F.InternalTerm(b: b, k: 3.5))
        }
        let modes = try Self.modes(mol, hessian: F.hessian(terms))
        var rng = SeededGenerator(seed: 15)
        let distorted = mol.positions.map { $0 + 0.03 * rng.nextGaussian() }
        let q = try modes.dimensionlessCoordinates(of: distorted)
        for _ in 0..<5 {
            let moved = F.move(distorted, rotation: F.randomRotation(&rng), translation: [1, 2, 3])
            let qm = try modes.dimensionlessCoordinates(of: moved)
            XCTAssertEqual(qm[2], q[2], accuracy: 1e-10)
            XCTAssertEqual(qm[3], q[3], accuracy: 1e-10)
            XCTAssertEqual(qm[0] * qm[0] + qm[1] * qm[1], q[0] * q[0] + q[1] * q[1], accuracy: 1e-10)
            let alignment = try modes.basis.reference.align(moved)
            XCTAssertLessThan(F.maxAbs(try modes.cartesian(fromDimensionless: qm, placedAs: alignment), moved), 1e-10)
        }
    }

    /// ∂E/∂q from Cartesian forces against central differences of the exact spring-network
    /// energy along q, and back to the Cartesian gradient.
    func testDimensionlessGradientMatchesFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 19)
        for mol in [F.water, F.ammonia] {
            let n = mol.atomCount
            let k = (0..<(n * (n - 1) / 2)).map { _ in rng.uniform(5, 40) }
            var terms: [F.InternalTerm] = []
            var idx = 0
            for i in 0..<n { for j in (i + 1)..<n { terms.append(F.stretch(i, j, at: mol.positions, k: k[idx])); idx += 1 } }
            let modes = try Self.modes(mol, hessian: F.hessian(terms))
            let frame = F.move(mol.positions.map { $0 + 0.03 * rng.nextGaussian() }, rotation: F.randomRotation(&rng), translation: [0, 1, 0])
            let alignment = try modes.basis.reference.align(frame)
            let labGradient = VibrationalBasisTests.springEnergy(frame, reference: mol.positions, k: k).gradient
            let gq = try modes.dimensionlessGradient(fromCartesianGradient: labGradient, alignment: alignment)
            let q = try modes.dimensionlessCoordinates(of: frame)
            let h = 1e-4
            for j in 0..<modes.count {
                var qp = q, qm = q
                qp[j] += h; qm[j] -= h
                let ep = VibrationalBasisTests.springEnergy(try modes.cartesian(fromDimensionless: qp), reference: mol.positions, k: k).energy
                let em = VibrationalBasisTests.springEnergy(try modes.cartesian(fromDimensionless: qm), reference: mol.positions, k: k).energy
                XCTAssertEqual(gq[j], (ep - em) / (2 * h), accuracy: 1e-8 + 1e-6 * abs(gq[j]), "\(mol.species) q\(j + 1)")
            }
            let back = try modes.cartesianGradient(fromDimensionlessGradient: gq, at: q)
            XCTAssertLessThan(F.maxAbs(alignment.toFrame.apply(toVectors: back), labGradient), 1e-10)
        }
    }

    func testVibrationalHessianGivesTheSameModes() throws {
        let mol = F.ammonia
        let cartesian = try Self.modes(mol, hessian: F.hessian(F.springNetwork(mol.positions, seed: 6)))
        let direct = try NormalModes(vibrationalHessian: cartesian.vibrationalHessian, basis: cartesian.basis,
                                     energyUnit: .electronvolt, lengthUnit: .angstrom)
        XCTAssertEqual(direct.wavenumbers, cartesian.wavenumbers)
        XCTAssertEqual(direct.massWeightedModes, cartesian.massWeightedModes)
        XCTAssertThrowsError(try NormalModes(vibrationalHessian: .identity(5), basis: cartesian.basis,
                                             energyUnit: .electronvolt, lengthUnit: .angstrom))
    }

    /// A negative force constant (a barrier) is reported as a negative wavenumber.
    func testSaddleDirectionGivesNegativeWavenumber() throws {
        let mol = F.hydrogenChloride
        let k = -200.0
        let mu = F.mH * F.mCl / (F.mH + F.mCl) * F.amu
        let modes = try Self.modes(mol, hessian: F.hessian([F.stretch(0, 1, at: mol.positions, k: k * 1e-20 / F.eV)]))
        let expected = -(abs(k) / mu).squareRoot() / (2 * Double.pi * F.c) / 100
        XCTAssertEqual(modes.wavenumbers[0], expected, accuracy: 1e-9 * abs(expected))
        XCTAssertLessThan(modes.dimensionlessForceConstants[0], 0)
    }

    /// geometry → q → geometry near equilibrium, and ½ Σ ν̃ₖ qₖ² (cm⁻¹) equal to ½ dᵀ H d for the
    /// Eckart-frame displacement d.
    func testDimensionlessCoordinatesRoundTripAndCarryTheHarmonicEnergy() throws {
        var rng = SeededGenerator(seed: 23)
        let toWavenumber = F.eV / (F.h * F.c * 100)
        for (mol, seed) in [(F.water, UInt64(7)), (F.ammonia, 8), (F.randomMolecule(seed: 6), 9)] {
            let hessian = F.hessian(F.springNetwork(mol.positions, seed: seed)).map { $0.map { $0 * toWavenumber } }
            let modes = try Self.modes(mol, hessian: hessian, energy: .wavenumber)
            for k in 0..<modes.count {
                XCTAssertEqual(modes.dimensionlessForceConstants[k], modes.wavenumbers[k], accuracy: 1e-12 * modes.wavenumbers[k])
            }
            let product = try modes.dimensionlessFromVibrational() * modes.vibrationalFromDimensionless()
            XCTAssertLessThan(product.maxAbsDifference(.identity(modes.count)), 1e-12)
            for _ in 0..<5 {
                let distorted = mol.positions.map { $0 + 0.02 * rng.nextGaussian() }
                let frame = F.move(distorted, rotation: F.randomRotation(&rng), translation: [-4, 2, 9])
                let alignment = try modes.basis.reference.align(frame)
                let q = try modes.dimensionlessCoordinates(of: frame)
                let back = try modes.cartesian(fromDimensionless: q, placedAs: alignment)
                XCTAssertLessThan(F.maxAbs(back, frame), 1e-10, "\(mol.species)")
                XCTAssertLessThan(F.maxAbs(try modes.cartesian(fromDimensionless: q), alignment.positions), 1e-10)
                let s = try modes.basis.vibrationalCoordinates(of: frame)
                XCTAssertLessThan(F.maxAbs(try modes.dimensionlessFromVibrational() * s, q), 1e-10)

                let d = (0..<frame.count).map { alignment.positions[$0] - modes.basis.reference.positions[$0] }
                var quadratic = 0.0
                for i in 0..<d.count { for j in 0..<d.count { quadratic += 0.5 * d[i] * hessian[i][j] * d[j] } }
                let inModes = zip(modes.wavenumbers, q).map { 0.5 * $0 * $1 * $1 }.reduce(0, +)
                XCTAssertEqual(inModes, quadratic, accuracy: 1e-9 * quadratic, "\(mol.species)")
            }
        }
    }

    /// NH₃ with C₃ᵥ-symmetric force constants has two degenerate E pairs; the modes are still
    /// bit-for-bit reproducible.
    func testDegenerateModesAreReproducible() throws {
        var p = [0, 0, 0.1163]
        for k in 0..<3 {
            let phi = Double.pi / 2 + 2 * Double.pi * Double(k) / 3
            p += [0.9377 * cos(phi), 0.9377 * sin(phi), -0.2714]
        }
        let mol = F.Molecule(species: F.ammonia.species, positions: p)
        var terms: [F.InternalTerm] = []
        for h in 1...3 { terms.append(F.stretch(0, h, at: p, k: 40)) }
        for (i, j) in [(1, 2), (1, 3), (2, 3)] { terms.append(F.stretch(i, j, at: p, k: 8)) }
        let a = try Self.modes(mol, hessian: F.hessian(terms))
        let b = try Self.modes(mol, hessian: F.hessian(terms))
        XCTAssertEqual(a.wavenumbers, b.wavenumbers)
        XCTAssertEqual(a.massWeightedModes, b.massWeightedModes)
        let nu = a.wavenumbers
        let degenerate = (0..<(nu.count - 1)).filter { abs(nu[$0 + 1] - nu[$0]) <= 1e-9 * nu[$0] }
        XCTAssertEqual(degenerate.count, 2, "two E pairs: \(nu)")
        for k in 0..<a.count {
            let column = a.massWeightedModes.column(k)
            let largest = column.map(abs).max()!
            XCTAssertGreaterThan(column.first { abs($0) >= largest * (1 - 1e-9) }!, 0, "sign convention, mode \(k + 1)")
        }
    }

    /// RHF analytic Hessians at the RHF minima of H₂O, NH₃ and linear HCN with PySCF's own
    /// harmonic analysis (Fixtures/pyscf_harmonic.json, scripts/oracles/pyscf_harmonic_oracle.py).
    /// Same masses; PySCF's unit constants are older than CODATA 2018 (agreement seen: ≤ 6e-9
    /// relative, the size of those differences and of the SCF's convergence), so 1e-7 relative.
    /// Run in hartree/bohr (as given) and again with the Hessian converted to eV/Å² by the test.
    func testHarmonicAnalysisMatchesPySCF() throws {
        let oracle = try Fixtures.json("pyscf_harmonic.json")
        let cases = oracle["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 3)
        for c in cases {
            let name = c["name"] as! String
            let species = c["species"] as! [String]
            let masses = c["masses"] as! [Double]
            XCTAssertEqual(try Element.masses(of: species), masses, name)
            let n3 = 3 * species.count
            let hessian = Matrix(rows: n3, columns: n3, storage: c["hessian_hartree_per_bohr2"] as! [Double])
            let expected = c["wavenumbers_cm1"] as! [Double]
            let inBohr = try VibrationalBasis(reference: try EckartReference(positions: c["positions_bohr"] as! [Double], masses: masses))
            let atomic = try NormalModes(cartesianHessian: hessian, basis: inBohr, energyUnit: .hartree, lengthUnit: .bohr)
            XCTAssertEqual(atomic.count, expected.count, name)
            XCTAssertEqual(atomic.basis.isLinear, name == "hydrogen cyanide", name)
            for (got, want) in zip(atomic.wavenumbers, expected) {
                XCTAssertEqual(got, want, accuracy: 1e-7 * abs(want), name)
            }
            let angstrom = (c["positions_bohr"] as! [Double]).map { $0 * F.bohr * 1e10 }
            let inAngstrom = try VibrationalBasis(reference: try EckartReference(positions: angstrom, masses: masses))
            let perEVAngstrom2 = F.hartree / F.eV / (F.bohr * F.bohr * 1e20)
            let ev = try NormalModes(cartesianHessian: hessian.scaled(by: perEVAngstrom2), basis: inAngstrom,
                                     energyUnit: .electronvolt, lengthUnit: .angstrom)
            for (got, want) in zip(ev.wavenumbers, atomic.wavenumbers) {
                XCTAssertEqual(got, want, accuracy: 1e-12 * abs(want), name)
            }
        }
    }
}
