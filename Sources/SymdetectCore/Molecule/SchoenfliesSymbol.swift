/// The Schoenflies symbol of a molecular point group.
///
/// The axial families carry n, the order of the principal proper axis (n ≥ 2); `sn(m)` carries
/// the order m of the improper axis (m even, m ≥ 4: S4, S6, S8 …; S2 is `ci`). The two linear
/// groups are infinite: `order` is nil for them.
public enum SchoenfliesSymbol: Hashable, Sendable, CustomStringConvertible {
    case c1, cs, ci
    case cn(Int)
    case cnv(Int)
    case cnh(Int)
    case dn(Int)
    case dnh(Int)
    case dnd(Int)
    case sn(Int)
    case t, td, th, o, oh, i, ih
    case cInfinityV, dInfinityH

    /// The printed symbol: "C1", "C2v", "D6h", "S4", "Td", "C∞v" ….
    public var name: String {
        switch self {
        case .c1: return "C1"
        case .cs: return "Cs"
        case .ci: return "Ci"
        case .cn(let n): return "C\(n)"
        case .cnv(let n): return "C\(n)v"
        case .cnh(let n): return "C\(n)h"
        case .dn(let n): return "D\(n)"
        case .dnh(let n): return "D\(n)h"
        case .dnd(let n): return "D\(n)d"
        case .sn(let m): return "S\(m)"
        case .t: return "T"
        case .td: return "Td"
        case .th: return "Th"
        case .o: return "O"
        case .oh: return "Oh"
        case .i: return "I"
        case .ih: return "Ih"
        case .cInfinityV: return "C∞v"
        case .dInfinityH: return "D∞h"
        }
    }

    public var description: String { name }

    /// Number of elements; nil for the infinite linear groups.
    public var order: Int? {
        switch self {
        case .c1: return 1
        case .cs, .ci: return 2
        case .cn(let n): return n
        case .cnv(let n), .cnh(let n), .dn(let n): return 2 * n
        case .dnh(let n), .dnd(let n): return 4 * n
        case .sn(let m): return m
        case .t: return 12
        case .td, .th, .o: return 24
        case .oh: return 48
        case .i: return 60
        case .ih: return 120
        case .cInfinityV, .dInfinityH: return nil
        }
    }

    public var isInfinite: Bool { order == nil }

    /// Whether the group contains improper operations (reflections, inversion, S_n): a chiral
    /// structure has a group without them.
    public var hasImproperOperations: Bool {
        switch self {
        case .c1, .cn, .dn, .t, .o, .i: return false
        default: return true
        }
    }
}
