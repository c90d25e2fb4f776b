import Foundation

/// A linear operation acting about the centre, g·x = c + G(x − c) with G orthogonal.
///
/// Discrete operations have one matrix G. Continuous families (`rotate(A,B,*)`, `O3(A,B,C)`) are
/// represented by a fixed, seeded set of generic members; the operation is a symmetry only if
/// every member is.
public struct SymmetryOperation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case reflect(Int)
        /// Reflection along the K-th Hessian eigenvector (0-based here, printed 1-based).
        case reflectMode(Int)
        case invert
        case swap(Int, Int)
        case rotate(Int, Int, degrees: Double)
        case rotateContinuous(Int, Int)
        case o3(Int, Int, Int)
        /// An operation of a molecule's point group acting on its dimensionless normal
        /// coordinates (an orthogonal matrix derived from the structure, named by what it does,
        /// e.g. `perm(2,3)·C2`).
        case pointGroup
        /// The rotations of a linear molecule about its axis (C∞), acting on the normal
        /// coordinates as G(φ) = exp(φK) = 𝟙 + sin φ K + (1 − cos φ) K², K the antisymmetric
        /// generator (K³ = −K: every bending pair turns by φ, the stretches stay).
        case axialRotation(generator: Matrix)
    }

    public let kind: Kind
    /// Canonical printable name in the `--op` syntax, e.g. "reflect(q1)", "rotate(x,y,90)".
    public let name: String
    /// The matrices tested: one for a discrete operation, several generic members for a family.
    public let matrices: [Matrix]

    public var matrix: Matrix { matrices[0] }
    public var isContinuous: Bool {
        switch kind { case .rotateContinuous, .o3, .axialRotation: return true; default: return false }
    }
    public var dimension: Int { matrices[0].rows }

    /// Whether G² = I (reflections, inversion, swaps, 180° rotations).
    public var isInvolution: Bool { !isContinuous && matrix.isInvolution }

    /// The elements g⁰ = I, g, g², … of the cyclic group a discrete operation generates (up to
    /// `limit`), or identity plus the generic members for a family. Used to symmetrize.
    public func orbitMatrices(limit: Int = 24) -> [Matrix] {
        let identity = Matrix.identity(dimension)
        if isContinuous { return [identity] + Self.familyMembers(kind: kind, dimension: dimension, count: limit) }
        var out = [identity]
        var current = matrix
        while out.count < limit, current.maxAbsDifference(identity) > 1e-9 {
            out.append(current)
            current = current * matrix
        }
        return out
    }

    init(kind: Kind, name: String, matrices: [Matrix]) {
        self.kind = kind
        self.name = name
        self.matrices = matrices
    }

    // MARK: Construction

    public static func reflect(_ j: Int, names: [String]) -> SymmetryOperation {
        var g = Matrix.identity(names.count)
        g[j, j] = -1
        return SymmetryOperation(kind: .reflect(j), name: "reflect(\(names[j]))", matrices: [g])
    }

    /// Householder reflection I − 2vvᵀ along the unit mode vector v.
    public static func reflectMode(_ k: Int, modes: Matrix) -> SymmetryOperation {
        let d = modes.rows
        var g = Matrix.identity(d)
        for i in 0..<d { for j in 0..<d { g[i, j] -= 2 * modes[i, k] * modes[j, k] } }
        return SymmetryOperation(kind: .reflectMode(k), name: "reflect(mode \(k + 1))", matrices: [g])
    }

    /// A point-group operation given by its (orthogonal) action on the coordinates.
    public static func pointGroup(name: String, matrix: Matrix) -> SymmetryOperation {
        precondition(matrix.rows == matrix.columns, "a point-group operation acts by a square matrix")
        return SymmetryOperation(kind: .pointGroup, name: name, matrices: [matrix])
    }

    /// C∞ of a linear molecule from its generator K on the coordinates (see `Kind.axialRotation`),
    /// tested at `genericAngles`.
    public static func axialRotation(name: String, generator: Matrix) -> SymmetryOperation {
        let kind = Kind.axialRotation(generator: generator)
        return SymmetryOperation(kind: kind, name: name,
                                 matrices: familyMembers(kind: kind, dimension: generator.rows, count: genericAngles.count))
    }

    /// exp(φK) = 𝟙 + sin φ K + (1 − cos φ) K² for an antisymmetric K with K³ = −K.
    static func axialRotationMember(_ k: Matrix, radians: Double) -> Matrix {
        let k2 = k * k
        var g = Matrix.identity(k.rows)
        for i in 0..<k.rows { for j in 0..<k.rows { g[i, j] += sin(radians) * k[i, j] + (1 - cos(radians)) * k2[i, j] } }
        return g
    }

    public static func invert(dimension d: Int) -> SymmetryOperation {
        SymmetryOperation(kind: .invert, name: "invert", matrices: [Matrix.identity(d).scaled(by: -1)])
    }

    public static func swap(_ a: Int, _ b: Int, names: [String]) -> SymmetryOperation {
        var g = Matrix.identity(names.count)
        g[a, a] = 0; g[b, b] = 0; g[a, b] = 1; g[b, a] = 1
        return SymmetryOperation(kind: .swap(a, b), name: "swap(\(names[a]),\(names[b]))", matrices: [g])
    }

    public static func rotate(_ a: Int, _ b: Int, degrees: Double, names: [String]) -> SymmetryOperation {
        let g = planeRotation(a, b, radians: degrees * .pi / 180, dimension: names.count)
        return SymmetryOperation(kind: .rotate(a, b, degrees: degrees), name: "rotate(\(names[a]),\(names[b]),\(formatAngle(degrees)))", matrices: [g])
    }

    /// Tested at generic angles that are no multiple of 360/n for small n, so a C_n symmetry
    /// (n ≤ 12) cannot pass for a continuous one.
    public static let genericAngles: [Double] = [37.0, 101.0, 143.0, 229.0, 317.0]

    public static func rotateContinuous(_ a: Int, _ b: Int, names: [String]) -> SymmetryOperation {
        let kind = Kind.rotateContinuous(a, b)
        let mats = genericAngles.map { planeRotation(a, b, radians: $0 * .pi / 180, dimension: names.count) }
        return SymmetryOperation(kind: kind, name: "rotate(\(names[a]),\(names[b]),*)", matrices: mats)
    }

    public static func o3(_ a: Int, _ b: Int, _ c: Int, names: [String]) -> SymmetryOperation {
        let kind = Kind.o3(a, b, c)
        return SymmetryOperation(kind: kind, name: "O3(\(names[a]),\(names[b]),\(names[c]))",
                                 matrices: familyMembers(kind: kind, dimension: names.count, count: 6))
    }

    static func planeRotation(_ a: Int, _ b: Int, radians: Double, dimension d: Int) -> Matrix {
        var g = Matrix.identity(d)
        let (c, s) = (cos(radians), sin(radians))
        g[a, a] = c; g[a, b] = -s; g[b, a] = s; g[b, b] = c
        return g
    }

    /// Generic members of a continuous family, from a fixed seed: plane rotations at evenly
    /// spread irrational-looking angles, or random 3-D rotations (uniform quaternions)
    /// alternately composed with the inversion of the triple.
    static func familyMembers(kind: Kind, dimension d: Int, count: Int) -> [Matrix] {
        switch kind {
        case let .rotateContinuous(a, b):
            if count <= genericAngles.count { return genericAngles.prefix(count).map { planeRotation(a, b, radians: $0 * .pi / 180, dimension: d) } }
            return (1...count).map { k in planeRotation(a, b, radians: 2 * .pi * Double(k) / Double(count + 1) + 0.1, dimension: d) }
        case let .axialRotation(k):
            if count <= genericAngles.count { return genericAngles.prefix(count).map { axialRotationMember(k, radians: $0 * .pi / 180) } }
            return (1...count).map { i in axialRotationMember(k, radians: 2 * .pi * Double(i) / Double(count + 1) + 0.1) }
        case let .o3(a, b, c):
            var rng = SeededGenerator(seed: 0x5EED_0003)
            return (0..<count).map { k in randomO3Member(a, b, c, dimension: d, improper: k % 2 == 1, rng: &rng) }
        default:
            return []
        }
    }

    /// A Haar-random rotation of the coordinate triple (a, b, c) from a uniform unit quaternion,
    /// composed with the inversion of the triple when `improper`; identity elsewhere.
    static func randomO3Member(_ a: Int, _ b: Int, _ c: Int, dimension d: Int, improper: Bool,
                               rng: inout SeededGenerator) -> Matrix {
        let r = haarRandomRotation(&rng)
        let sign: Double = improper ? -1 : 1
        var g = Matrix.identity(d)
        let idx = [a, b, c]
        for i in 0..<3 { for j in 0..<3 { g[idx[i], idx[j]] = sign * r[i][j] } }
        return g
    }

    static func formatAngle(_ degrees: Double) -> String {
        degrees == degrees.rounded() ? String(Int(degrees)) : String(format: "%g", degrees)
    }

    /// A Haar-random 3×3 rotation, from a uniform unit quaternion (a normalised Gaussian 4-vector).
    public static func haarRandomRotation(_ rng: inout SeededGenerator) -> [[Double]] {
        var q = (0..<4).map { _ in rng.nextGaussian() }
        let n = q.map { $0 * $0 }.reduce(0, +).squareRoot()
        q = q.map { $0 / n }
        let (w, x, y, z) = (q[0], q[1], q[2], q[3])
        return [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    }
}
