/// One operation of a molecule's point group: an orthogonal 3×3 matrix about the centre of mass
/// together with the permutation of identical atoms it induces.
///
/// **Permutation convention.** `permutation[i] = j` (0-based) means the operation carries atom i
/// onto the site of atom j: `R (x_i − c) ≈ x_j − c` with c the centre of mass. Composition follows
/// matrix order: for `a·b` (b acts first) the matrix is `R_a R_b` and the permutation is
/// `p_ab[i] = p_a[p_b[i]]`. Printed names use 1-based cycle notation: `perm(2,3,4)·C3` carries
/// atom 2 to the site of 3, 3 to 4 and 4 to 2.
public struct PointGroupOperation: Sendable, Equatable {
    /// What the matrix does geometrically.
    public enum Element: Sendable, Hashable {
        case identity
        /// C_n^k: rotation by 2πk/n about `axis` (right-handed), 0 < k < n, gcd(k, n) = 1.
        case rotation(order: Int, power: Int)
        /// σ: reflection through the plane with normal `axis`.
        case reflection
        /// i: inversion through the centre of mass.
        case inversion
        /// S_n^k: rotation by 2πk/n about `axis` followed by reflection through the perpendicular
        /// plane. For odd n the power is odd (S3⁵, not S3²), as in character tables.
        case improperRotation(order: Int, power: Int)
    }

    /// `permutation[i]` is the atom whose site atom i is carried onto (0-based).
    public let permutation: [Int]
    /// The 3×3 Cartesian matrix in the axes of the input positions, acting about the centre of mass.
    public let matrix: Matrix
    public let element: Element
    /// Unit rotation axis, plane normal or improper axis, oriented deterministically; nil for E and i.
    public let axis: [Double]?
    /// The conventional symbol: "E", "C2", "C3²", "C2'", "σh", "σv", "σd", "σ", "i", "S4", "S6⁵" ….
    public let symbol: String
    /// Largest distance (Å) between an operated atom and the atom whose site it takes, measured on
    /// the input structure with the final (refined, exactly closed) matrix. The search keeps
    /// operations whose best-fit matrix is within the tolerance; the refinement moves a matrix by
    /// about the asymmetry of the structure, so for a structure at the edge of the tolerance this
    /// can exceed the tolerance slightly.
    public let maxDeviation: Double

    public init(permutation: [Int], matrix: Matrix, element: Element, axis: [Double]?,
                symbol: String, maxDeviation: Double) {
        precondition(matrix.rows == 3 && matrix.columns == 3)
        self.permutation = permutation
        self.matrix = matrix
        self.element = element
        self.axis = axis
        self.symbol = symbol
        self.maxDeviation = maxDeviation
    }

    /// det = +1.
    public var isProper: Bool {
        switch element {
        case .identity, .rotation: return true
        case .reflection, .inversion, .improperRotation: return false
        }
    }

    public var isIdentity: Bool { element == .identity && permutation.enumerated().allSatisfy { $0.offset == $0.element } }

    public var atomCount: Int { permutation.count }

    /// The permutation in 1-based cycle notation, fixed atoms omitted: "perm(2,3)", "perm(1,2)(3,4)";
    /// nil for the identity permutation.
    public var permutationName: String? {
        let cycles = Self.cycles(of: permutation)
        guard !cycles.isEmpty else { return nil }
        return "perm" + cycles.map { "(" + $0.map { String($0 + 1) }.joined(separator: ",") + ")" }.joined()
    }

    /// The readable name: the symbol, preceded by the permutation when atoms move:
    /// "C2", "perm(2,3)·σv", "perm(2,3,4)·C3".
    public var name: String {
        guard let p = permutationName else { return symbol }
        return p + "·" + symbol
    }

    /// Cycles of length ≥ 2, each starting at its smallest atom, ordered by that atom.
    static func cycles(of p: [Int]) -> [[Int]] {
        var seen = [Bool](repeating: false, count: p.count)
        var out: [[Int]] = []
        for start in 0..<p.count where !seen[start] {
            var cycle: [Int] = []
            var k = start
            while !seen[k] { seen[k] = true; cycle.append(k); k = p[k] }
            if cycle.count > 1 { out.append(cycle) }
        }
        return out
    }

    // MARK: Action on structures and displacements

    /// The action on Cartesian displacements u (3N, atom-major: u[3i..<3i+3] is atom i's
    /// displacement from equilibrium, in the axes of the input positions): a 3N×3N orthogonal
    /// matrix D with the block at rows of atom p(i), columns of atom i equal to R, all other
    /// blocks zero. The displaced structure x_i = x_i⁰ + u_i is carried to the structure with
    /// displacements D·u, and D(a)D(b) = D(a·b). Applied to a Hessian or to normal-mode vectors
    /// (after mass weighting, which D commutes with because permuted atoms share their mass) it
    /// gives each operation's matrix on normal coordinates.
    public func displacementAction() -> Matrix {
        let n = permutation.count
        var d = Matrix(rows: 3 * n, columns: 3 * n)
        for i in 0..<n {
            let j = permutation[i]
            for r in 0..<3 { for c in 0..<3 { d[3 * j + r, 3 * i + c] = matrix[r, c] } }
        }
        return d
    }

    /// The image of a structure (positions in the input axes) under the operation about `centre`:
    /// atom p(i) of the result sits at c + R(x_i − c). For the structure the group was found
    /// from, the image equals the structure within the tolerance.
    public func image(of positions: [[Double]], centre: [Double]) -> [[Double]] {
        precondition(positions.count == permutation.count && centre.count == 3)
        var out = [[Double]](repeating: [0, 0, 0], count: positions.count)
        for (i, x) in positions.enumerated() {
            let v = [x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]]
            let rv = matrix * v
            out[permutation[i]] = [centre[0] + rv[0], centre[1] + rv[1], centre[2] + rv[2]]
        }
        return out
    }
}
