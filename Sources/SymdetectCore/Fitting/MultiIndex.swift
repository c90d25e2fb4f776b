/// Exponent vectors α of the monomials u^α = Π_j u_j^α_j of a Taylor polynomial.
public enum MultiIndex {
    /// All exponent vectors of `dimension` variables with total degree ≤ `order`, graded
    /// (degree 0 first) and, within a degree, in descending lexicographic order:
    /// 1, u1, u2, u1², u1u2, u2², …  Count: C(dimension + order, order).
    public static func all(dimension: Int, order: Int) -> [[Int]] {
        precondition(dimension > 0 && order >= 0)
        var result: [[Int]] = []
        for degree in 0...order { result += ofDegree(degree, dimension: dimension) }
        return result
    }

    /// Exponent vectors of exactly total degree `degree`, descending lexicographic.
    public static func ofDegree(_ degree: Int, dimension: Int) -> [[Int]] {
        if dimension == 1 { return [[degree]] }
        var out: [[Int]] = []
        for first in stride(from: degree, through: 0, by: -1) {
            for rest in ofDegree(degree - first, dimension: dimension - 1) { out.append([first] + rest) }
        }
        return out
    }

    public static func count(dimension: Int, order: Int) -> Int {
        // C(d + k, k), built up as C(d + i, i) = C(d + i − 1, i − 1)·(d + i)/i, exact in Int.
        var c = 1
        var i = 1
        while i <= order { c = c * (dimension + i) / i; i += 1 }
        return c
    }

    /// α! = Π α_j!, the factor between a Taylor coefficient and the matching derivative.
    public static func factorial(_ alpha: [Int]) -> Double {
        var f = 1.0
        for a in alpha where a > 1 { for k in 2...a { f *= Double(k) } }
        return f
    }

    /// Readable monomial name: "1", "q1", "q1^2*q3".
    public static func name(_ alpha: [Int], variables: [String]) -> String {
        var parts: [String] = []
        for (j, a) in alpha.enumerated() where a > 0 {
            parts.append(a == 1 ? variables[j] : "\(variables[j])^\(a)")
        }
        return parts.isEmpty ? "1" : parts.joined(separator: "*")
    }

    /// Exponent vector of a list of coordinate indices (e.g. φ_113 → [2,0,1]).
    public static func fromIndices(_ indices: [Int], dimension: Int) -> [Int] {
        var alpha = [Int](repeating: 0, count: dimension)
        for i in indices { alpha[i] += 1 }
        return alpha
    }

    /// Sorted coordinate indices of an exponent vector ([2,0,1] → [0,0,2]).
    public static func indices(_ alpha: [Int]) -> [Int] {
        var out: [Int] = []
        for (j, a) in alpha.enumerated() { out += [Int](repeating: j, count: a) }
        return out
    }
}
