/// The point group of a molecular structure, as found by `PointGroupDiscovery`.
///
/// For a finite group, `operations` holds every element (identity first) and its count equals
/// `order`. The linear groups are infinite and are represented by a finite subgroup built on a
/// deterministic frame (z = the molecular axis, x and y perpendicular):
/// - C∞v by C2v: E, C2(z), σv(xz), σv(yz) — all with the identity permutation;
/// - D∞h by D2h: those four plus i, σh, C2'(x), C2'(y), which swap the ends of the molecule.
/// `order` is then nil and `isInfinite` true; the continuous rotations about the axis are not listed.
public struct PointGroup: Sendable {
    public let symbol: SchoenfliesSymbol
    /// The operations, identity first, then proper rotations, inversion, improper rotations, reflections.
    public let operations: [PointGroupOperation]
    /// `multiplicationTable[a][b]` is the index of the product a·b (b acts first).
    public let multiplicationTable: [[Int]]
    /// Mass-weighted centre of mass of the input structure (Å); every operation acts about it.
    public let centreOfMass: [Double]
    /// The input structure made exactly symmetric (to rounding): the group average
    /// x̄_i = c + (1/|G|) Σ_g R_gᵀ (x_{p_g(i)} − c); for linear molecules the atoms projected on
    /// the axis (and averaged with their mirror images for D∞h).
    public let symmetrizedPositions: [[Double]]
    /// The principal axis (highest-order proper axis; the S_2n axis for D_nd and S_2n; the molecular
    /// axis for linear groups); nil for C1, Cs, Ci and the cubic and icosahedral groups.
    public let principalAxis: [Double]?
    /// The tolerance (Å) the group was found with.
    public let tolerance: Double

    public init(symbol: SchoenfliesSymbol, operations: [PointGroupOperation], multiplicationTable: [[Int]],
                centreOfMass: [Double], symmetrizedPositions: [[Double]], principalAxis: [Double]?,
                tolerance: Double) {
        self.symbol = symbol
        self.operations = operations
        self.multiplicationTable = multiplicationTable
        self.centreOfMass = centreOfMass
        self.symmetrizedPositions = symmetrizedPositions
        self.principalAxis = principalAxis
        self.tolerance = tolerance
    }

    /// "C2v", "D∞h" ….
    public var name: String { symbol.name }
    /// Number of elements; nil for the infinite linear groups.
    public var order: Int? { symbol.order }
    public var isInfinite: Bool { symbol.isInfinite }
    public var isLinear: Bool { symbol == .cInfinityV || symbol == .dInfinityH }
    public var atomCount: Int { symmetrizedPositions.count }

    /// Largest deviation of any operation on the input structure (Å).
    public var maxDeviation: Double { operations.map(\.maxDeviation).max() ?? 0 }

    /// The 3N×3N action of operation `index` on Cartesian displacements (see
    /// `PointGroupOperation.displacementAction()`).
    public func displacementAction(of index: Int) -> Matrix {
        operations[index].displacementAction()
    }
}

/// Why a point group could not be determined.
public enum PointGroupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// species, masses and positions differ in length, or a position is not a triple.
    case inconsistentInput(String)
    case tooFewAtoms(Int)
    case nonFiniteInput
    case nonPositiveMass(atom: Int)
    case invalidTolerance(Double)
    /// All atoms coincide with the centre of mass within the tolerance.
    case degenerateStructure
    /// The permutation search visited more than this many partial assignments.
    case searchLimitExceeded(Int)

    public var description: String {
        switch self {
        case .inconsistentInput(let why): return "point group: inconsistent input: \(why)"
        case .tooFewAtoms(let n): return "point group: needs at least 2 atoms, got \(n)"
        case .nonFiniteInput: return "point group: non-finite position or mass"
        case .nonPositiveMass(let i): return "point group: atom \(i + 1) has a non-positive mass"
        case .invalidTolerance(let t): return "point group: the symmetry tolerance must be positive and finite, got \(t)"
        case .degenerateStructure: return "point group: all atoms coincide"
        case .searchLimitExceeded(let n): return "point group: the permutation search exceeded \(n) steps"
        }
    }
}
