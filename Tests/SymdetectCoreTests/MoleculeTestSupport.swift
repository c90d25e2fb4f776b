import Foundation
@testable import SymdetectCore

/// Test molecules, random rigid motions and harmonic model surfaces whose normal modes have
/// independent closed forms. Constants are typed in here from CODATA 2018 so the tests do not
/// reuse the library's own table.
enum MoleculeFixtures {
    // CODATA 2018.
    static let c = 299_792_458.0
    static let h = 6.626_070_15e-34
    static let hbar = 6.626_070_15e-34 / (2 * Double.pi)
    static let eV = 1.602_176_634e-19
    static let amu = 1.660_539_066_60e-27
    static let hartree = 4.359_744_722_2071e-18
    static let bohr = 0.529_177_210_903e-10

    // Most abundant isotopes (NIST).
    static let mH = 1.00782503223, mC = 12.0, mN = 14.00307400443, mO = 15.99491461957
    static let mCl = 34.968852682

    struct Molecule {
        var species: [String]
        var positions: [Double]
        var masses: [Double] { try! Element.masses(of: species) }
        var atomCount: Int { species.count }
    }

    static let water = Molecule(species: ["O", "H", "H"],
                                positions: [0, 0, 0.1173, 0, 0.7572, -0.4692, 0, -0.7572, -0.4692])
    static let ammonia = Molecule(species: ["N", "H", "H", "H"],
                                  positions: [0, 0, 0.1163, 0, 0.9377, -0.2714,
                                              0.8121, -0.46885, -0.2714, -0.8121, -0.46885, -0.2714])
    static let carbonDioxide = Molecule(species: ["O", "C", "O"], positions: [0, 0, -1.16, 0, 0, 0, 0, 0, 1.16])
    static let hydrogenChloride = Molecule(species: ["H", "Cl"], positions: [0, 0, 0, 0, 0, 1.2746])

    /// A non-planar, asymmetric 7-atom "molecule" with random positions in [−2, 2]³.
    static func randomMolecule(seed: UInt64) -> Molecule {
        var rng = SeededGenerator(seed: seed)
        return Molecule(species: ["C", "H", "O", "N", "H", "Cl", "S"],
                        positions: (0..<21).map { _ in rng.uniform(-2, 2) })
    }

    /// Haar-random proper rotation from a normalised Gaussian quaternion.
    static func randomRotation(_ rng: inout SeededGenerator) -> [[Double]] {
        SymmetryOperation.haarRandomRotation(&rng)
    }

    /// R x + t for every atom.
    static func move(_ p: [Double], rotation r: [[Double]], translation t: [Double]) -> [Double] {
        var out = p
        for i in stride(from: 0, to: p.count, by: 3) {
            for a in 0..<3 { out[i + a] = r[a][0] * p[i] + r[a][1] * p[i + 1] + r[a][2] * p[i + 2] + t[a] }
        }
        return out
    }

    /// (R ⊗ 𝟙_N) H (R ⊗ 𝟙_N)ᵀ: the Hessian of the same surface after rotating the molecule by R.
    static func rotateHessian(_ hessian: [[Double]], _ r: [[Double]]) -> [[Double]] {
        let n3 = hessian.count
        var big = [[Double]](repeating: [Double](repeating: 0, count: n3), count: n3)
        for i in stride(from: 0, to: n3, by: 3) { for a in 0..<3 { for b in 0..<3 { big[i + a][i + b] = r[a][b] } } }
        return matmul(matmul(big, hessian), transpose(big))
    }

    static func centerOfMass(_ p: [Double], _ m: [Double]) -> [Double] {
        let total = m.reduce(0, +)
        return (0..<3).map { a in (0..<m.count).map { m[$0] * p[3 * $0 + a] }.reduce(0, +) / total }
    }

    // MARK: Internal-coordinate harmonic surfaces

    /// A harmonic term ½ k (bᵀ δx)² with b the Wilson B-vector of an internal coordinate.
    struct InternalTerm {
        var b: [Double]
        var k: Double
    }

    /// Stretch of bond i–j at geometry p: b = ±unit vector along the bond.
    static func stretch(_ i: Int, _ j: Int, at p: [Double], k: Double) -> InternalTerm {
        var b = [Double](repeating: 0, count: p.count)
        let d = (0..<3).map { p[3 * j + $0] - p[3 * i + $0] }
        let len = d.map { $0 * $0 }.reduce(0, +).squareRoot()
        for a in 0..<3 { b[3 * j + a] = d[a] / len; b[3 * i + a] = -d[a] / len }
        return InternalTerm(b: b, k: k)
    }

    /// Spring network on every pair of atoms: V = ½ Σ kᵢⱼ (Δrᵢⱼ)², a minimum at `p`.
    static func springNetwork(_ p: [Double], seed: UInt64) -> [InternalTerm] {
        var rng = SeededGenerator(seed: seed)
        let n = p.count / 3
        var terms: [InternalTerm] = []
        for i in 0..<n { for j in (i + 1)..<n { terms.append(stretch(i, j, at: p, k: rng.uniform(5, 40))) } }
        return terms
    }

    /// H = Σ k b bᵀ.
    static func hessian(_ terms: [InternalTerm]) -> [[Double]] {
        let n3 = terms[0].b.count
        var hm = [[Double]](repeating: [Double](repeating: 0, count: n3), count: n3)
        for t in terms { for i in 0..<n3 { for j in 0..<n3 { hm[i][j] += t.k * t.b[i] * t.b[j] } } }
        return hm
    }

    /// Wilson GF eigenvalues (ascending, E/(u·L²)): eigenvalues of F^{1/2} G F^{1/2} with
    /// G = B M⁻¹ Bᵀ and F = diag(k). Independent of any Cartesian projection or mass-weighting code.
    static func wilsonGF(_ terms: [InternalTerm], masses: [Double]) throws -> [Double] {
        let nInt = terms.count
        var a = Matrix(rows: nInt, columns: nInt)
        for p in 0..<nInt {
            for q in 0..<nInt {
                var g = 0.0
                for i in 0..<terms[p].b.count { g += terms[p].b[i] * terms[q].b[i] / masses[i / 3] }
                a[p, q] = (terms[p].k * terms[q].k).squareRoot() * g
            }
        }
        return try SymmetricEigenDecomposition(a).eigenvalues
    }

    /// λ (E/(u·L²)) → cm⁻¹, with E in joules per unit and L in metres.
    static func wavenumber(lambda: Double, energyJoules: Double, lengthMeters: Double) -> Double {
        let omega = (abs(lambda) * energyJoules / (amu * lengthMeters * lengthMeters)).squareRoot()
        return (lambda < 0 ? -1 : 1) * omega / (2 * Double.pi * c) / 100
    }

    static func matmul(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in (0..<row.count).map { row[$0] * b[$0][j] }.reduce(0, +) } }
    }

    static func transpose(_ a: [[Double]]) -> [[Double]] {
        (0..<a[0].count).map { j in a.map { $0[j] } }
    }

    static func maxAbs(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
