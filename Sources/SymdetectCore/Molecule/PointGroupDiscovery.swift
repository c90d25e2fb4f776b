import Foundation

/// Finds the point group of a molecular structure (SPEC §2b.4).
///
/// Method:
/// 1. Move to the mass-weighted centre of mass c; every operation fixes it, because permuted atoms
///    share their mass. Atoms are *identical* when they have the same species symbol and mass.
/// 2. If every atom lies within tolerance/2 of one line through c (a rotation about it then moves
///    no atom by more than the tolerance), the molecule is linear: C∞v, or D∞h when the inversion
///    maps it onto itself (see `PointGroup` for the operations returned).
/// 3. Otherwise candidate permutations p of identical atoms are built by backtracking. An
///    operation within tolerance ε moves every atom by at most ε, so it changes every interatomic
///    distance by at most 2ε and every distance from c by at most ε. Atom i may go to j only if
///    j is identical, |r_i − r_j| ≤ ε, and, for every element, the sorted lists of distances from
///    i and from j to the atoms of that element agree within 2ε (sorting is 1-Lipschitz in the
///    max norm, so this is necessary). Each partial assignment must preserve all distances between
///    assigned atoms within 2ε. For rigid structures this leaves about |G| leaves, so SF6 and
///    benzene take milliseconds.
/// 4. For each complete permutation, the orthogonal matrices best mapping x_i − c onto
///    x_{p(i)} − c: Kabsch with reflection allowed (R = U Vᵀ from M = Σ (x_{p(i)} − c)(x_i − c)ᵀ),
///    and the best of the other determinant (U diag(1,1,−1) Vᵀ), which fits as well when the
///    structure is planar. Each is kept when max_i |R(x_i − c) − (x_{p(i)} − c)| ≤ ε.
/// 5. Near the tolerance the kept set may miss a product; the largest closed subset is then kept
///    (operations added in order of increasing deviation, each with the closure it generates,
///    when every product is among the kept operations).
/// 6. The matrices are refined to an exact representation of the group (to rounding) by
///    R_h ← polar((1/|G|) Σ_g R_gᵀ R_{gh}), which converges quadratically from an approximate
///    one, and the structure is symmetrized by the group average.
/// 7. The Schoenflies symbol follows the standard flowchart from the rotation axes and their
///    orders, the inversion, the mirror planes (horizontal or not) and the S_2n axes.
public enum PointGroupDiscovery {
    /// `--symmetry-tolerance`'s default (Å).
    public static let defaultTolerance = 0.01
    /// Upper bound on partial assignments visited by the permutation search.
    public static let searchLimit = 5_000_000

    typealias M3 = PointGroupMath.M3

    struct Candidate {
        var permutation: [Int]
        var matrix: M3
        var deviation: Double
    }

    /// The point group of the structure.
    /// - Parameters:
    ///   - species: element symbols (or any labels); atoms with equal symbol and mass are identical.
    ///   - masses: atomic masses (amu), positive.
    ///   - positions: Cartesian positions (Å), one triple per atom.
    ///   - tolerance: the largest displacement (Å) of any atom an operation may leave.
    public static func pointGroup(species: [String], masses: [Double], positions: [[Double]],
                                  tolerance: Double = defaultTolerance) throws -> PointGroup {
        let n = positions.count
        guard species.count == n, masses.count == n else {
            throw PointGroupError.inconsistentInput("\(species.count) species, \(masses.count) masses, \(n) positions")
        }
        guard positions.allSatisfy({ $0.count == 3 }) else { throw PointGroupError.inconsistentInput("positions must be triples") }
        guard n >= 2 else { throw PointGroupError.tooFewAtoms(n) }
        guard tolerance > 0, tolerance.isFinite else { throw PointGroupError.invalidTolerance(tolerance) }
        guard positions.allSatisfy({ $0.allSatisfy(\.isFinite) }), masses.allSatisfy(\.isFinite) else {
            throw PointGroupError.nonFiniteInput
        }
        if let bad = masses.firstIndex(where: { $0 <= 0 }) { throw PointGroupError.nonPositiveMass(atom: bad) }

        let totalMass = masses.reduce(0, +)
        var com = [0.0, 0.0, 0.0]
        for i in 0..<n { for k in 0..<3 { com[k] += masses[i] * positions[i][k] } }
        com = com.map { $0 / totalMass }
        let x = positions.map { PointGroupMath.sub($0, com) }
        guard x.contains(where: { PointGroupMath.norm($0) > tolerance }) else { throw PointGroupError.degenerateStructure }
        let types = atomTypes(species: species, masses: masses)

        if let linear = try linearGroup(x: x, types: types, centre: com, tolerance: tolerance) { return linear }

        let candidates = try candidateOperations(x: x, types: types, tolerance: tolerance)
        let (kept, table) = closedSubset(candidates)
        let matrices = refineRepresentation(kept.map(\.matrix), table: table)
        let permutations = kept.map(\.permutation)

        // Group average of the structure: exactly invariant under the refined representation.
        let g = Double(kept.count)
        var symmetrized = [[Double]](repeating: [0, 0, 0], count: n)
        for (r, p) in zip(matrices, permutations) {
            let rt = PointGroupMath.transpose(r)
            for i in 0..<n { symmetrized[i] = PointGroupMath.add(symmetrized[i], PointGroupMath.apply(rt, x[p[i]])) }
        }
        symmetrized = symmetrized.map { PointGroupMath.scale($0, 1 / g) }

        let deviations = zip(matrices, permutations).map { deviation(x: x, permutation: $0.1, matrix: $0.0) }
        let classification = PointGroupClassification(matrices: matrices, centredPositions: symmetrized, tolerance: tolerance)
        let operations = (0..<kept.count).map { k in
            PointGroupOperation(permutation: permutations[k], matrix: PointGroupMath.matrix(matrices[k]),
                                element: classification.elements[k].element, axis: classification.elements[k].axis,
                                symbol: classification.symbols[k], maxDeviation: deviations[k])
        }
        return assemble(symbol: classification.symbol, operations: operations, table: table, centre: com,
                        symmetrizedCentred: symmetrized, principalAxis: classification.principalAxis, tolerance: tolerance)
    }

    // MARK: Identical atoms

    /// Type index per atom: equal species symbol and equal mass (relative 1e-9).
    static func atomTypes(species: [String], masses: [Double]) -> [Int] {
        var representatives: [(String, Double)] = []
        return zip(species, masses).map { s, m in
            if let t = representatives.firstIndex(where: { $0.0 == s && abs($0.1 - m) <= 1e-9 * max($0.1, m) }) { return t }
            representatives.append((s, m))
            return representatives.count - 1
        }
    }

    static func deviation(x: [[Double]], permutation p: [Int], matrix r: M3) -> Double {
        var worst = 0.0
        for i in 0..<x.count {
            worst = max(worst, PointGroupMath.norm(PointGroupMath.sub(PointGroupMath.apply(r, x[i]), x[p[i]])))
        }
        return worst
    }

    // MARK: Permutation search

    static func candidateOperations(x: [[Double]], types: [Int], tolerance eps: Double) throws -> [Candidate] {
        let n = x.count
        var distance = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) {
            let d = PointGroupMath.norm(PointGroupMath.sub(x[i], x[j]))
            distance[i][j] = d
            distance[j][i] = d
        } }
        let radius = x.map(PointGroupMath.norm)
        let typeCount = (types.max() ?? 0) + 1
        // invariants[i][t]: sorted distances from atom i to the other atoms of type t.
        let invariants: [[[Double]]] = (0..<n).map { i in
            (0..<typeCount).map { t in (0..<n).filter { $0 != i && types[$0] == t }.map { distance[i][$0] }.sorted() }
        }
        func compatible(_ i: Int, _ j: Int) -> Bool {
            guard types[i] == types[j], abs(radius[i] - radius[j]) <= eps else { return false }
            for t in 0..<typeCount {
                for (a, b) in zip(invariants[i][t], invariants[j][t]) where abs(a - b) > 2 * eps { return false }
            }
            return true
        }
        let targets: [[Int]] = (0..<n).map { i in (0..<n).filter { compatible(i, $0) } }
        // Most constrained atoms first; among equals the farthest from the centre, which pin the
        // orientation soonest.
        let order = (0..<n).sorted {
            (targets[$0].count, -radius[$0], $0) < (targets[$1].count, -radius[$1], $1)
        }

        var image = [Int](repeating: -1, count: n)
        var used = [Bool](repeating: false, count: n)
        var found: [Candidate] = []
        var steps = 0

        func complete() throws {
            var m = [Double](repeating: 0, count: 9)
            for i in 0..<n {
                let y = x[image[i]]
                for r in 0..<3 { for c in 0..<3 { m[3 * r + c] += y[r] * x[i][c] } }
            }
            let fits = try PointGroupMath.orthogonalFits(m)
            // A rank-one M (no such permutation maps a non-collinear structure) leaves no rotation.
            for r in [fits.best, fits.other] where abs(abs(PointGroupMath.det(r)) - 1) < 1e-6 {
                let dev = deviation(x: x, permutation: image, matrix: r)
                if dev <= eps { found.append(Candidate(permutation: image, matrix: r, deviation: dev)) }
            }
        }

        func extend(_ depth: Int) throws {
            if depth == n { try complete(); return }
            steps += 1
            if steps > searchLimit { throw PointGroupError.searchLimitExceeded(searchLimit) }
            let i = order[depth]
            for j in targets[i] where !used[j] {
                var preserves = true
                for d in 0..<depth {
                    let k = order[d]
                    if abs(distance[i][k] - distance[j][image[k]]) > 2 * eps { preserves = false; break }
                }
                guard preserves else { continue }
                image[i] = j
                used[j] = true
                try extend(depth + 1)
                used[j] = false
                image[i] = -1
            }
        }
        try extend(0)
        return found
    }

    // MARK: Closure

    /// Index of a·b among `ops` (same permutation, nearest matrix within 0.25 entry-wise), or nil.
    static func productIndex(_ a: Candidate, _ b: Candidate, ops: [Candidate], byPermutation: [[Int]: [Int]]) -> Int? {
        let p = b.permutation.map { a.permutation[$0] }
        guard let same = byPermutation[p] else { return nil }
        let r = PointGroupMath.mul(a.matrix, b.matrix)
        var best: (Int, Double)?
        for k in same {
            let d = PointGroupMath.maxAbsDifference(ops[k].matrix, r)
            if d < 0.25, d < (best?.1 ?? .infinity) { best = (k, d) }
        }
        return best?.0
    }

    /// The kept operations (a group under the product lookup) and their multiplication table.
    static func closedSubset(_ ops: [Candidate]) -> ([Candidate], [[Int]]) {
        var byPermutation: [[Int]: [Int]] = [:]
        for (k, op) in ops.enumerated() { byPermutation[op.permutation, default: []].append(k) }
        func table(_ members: [Int]) -> [[Int]]? {
            let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
            var t = [[Int]](repeating: [Int](repeating: 0, count: members.count), count: members.count)
            for (ia, a) in members.enumerated() {
                for (ib, b) in members.enumerated() {
                    guard let c = productIndex(ops[a], ops[b], ops: ops, byPermutation: byPermutation),
                          let ic = position[c] else { return nil }
                    t[ia][ib] = ic
                }
            }
            return t
        }
        let all = Array(ops.indices)
        if let t = table(all) { return (ops, t) }

        // Near the tolerance some products were not kept. Grow a subgroup greedily, adding
        // operations (after a chosen first one, in order of increasing deviation) together with
        // everything they generate, skipping any whose closure leaves the kept operations; try
        // every first operation and keep the largest subgroup (then the smallest deviation).
        let products: [[Int?]] = ops.map { a in ops.map { b in productIndex(a, b, ops: ops, byPermutation: byPermutation) } }
        let n = ops[0].permutation.count
        let identityMatrix = PointGroupMath.identity
        let identity = ops.indices.filter { ops[$0].permutation == Array(0..<n) }
            .min { PointGroupMath.maxAbsDifference(ops[$0].matrix, identityMatrix) < PointGroupMath.maxAbsDifference(ops[$1].matrix, identityMatrix) }!
        let byDeviation = ops.indices.sorted { (ops[$0].deviation, $0) < (ops[$1].deviation, $1) }
        func greedy(first: Int) -> [Int] {
            var members = [identity]
            var inMembers = Set(members)
            for g in [first] + byDeviation where !inMembers.contains(g) {
                var trial = members + [g]
                var inTrial = inMembers.union([g])
                var ok = true
                var k = 0
                grow: while k < trial.count {
                    let a = trial[k]
                    for b in trial.prefix(k + 1) {
                        for (u, v) in [(a, b), (b, a)] {
                            guard let c = products[u][v] else { ok = false; break grow }
                            if inTrial.insert(c).inserted { trial.append(c) }
                        }
                    }
                    k += 1
                }
                if ok { members = trial; inMembers = inTrial }
            }
            return members
        }
        var members = [identity]
        var bestDeviation = Double.infinity
        for first in byDeviation where first != identity {
            let candidate = greedy(first: first)
            let deviation = candidate.map { ops[$0].deviation }.max() ?? 0
            if candidate.count > members.count || (candidate.count == members.count && deviation < bestDeviation) {
                members = candidate
                bestDeviation = deviation
            }
        }
        members.sort()
        return (members.map { ops[$0] }, table(members)!)
    }

    /// Refines an approximate orthogonal representation (table[a][b] = index of a·b) to an exact one.
    static func refineRepresentation(_ matrices: [M3], table: [[Int]]) -> [M3] {
        var r = matrices
        let g = r.count
        for _ in 0..<20 {
            var defect = 0.0
            for a in 0..<g { for b in 0..<g {
                defect = max(defect, PointGroupMath.maxAbsDifference(PointGroupMath.mul(r[a], r[b]), r[table[a][b]]))
            } }
            if defect < 1e-13 { break }
            var next: [M3] = []
            for h in 0..<g {
                var acc = [Double](repeating: 0, count: 9)
                for k in 0..<g {
                    let prod = PointGroupMath.mul(PointGroupMath.transpose(r[k]), r[table[k][h]])
                    for e in 0..<9 { acc[e] += prod[e] }
                }
                // The polar factor of a matrix within 1e-2 of an orthogonal one always exists.
                next.append((try? PointGroupMath.orthogonalFits(acc).best) ?? r[h])
            }
            r = next
        }
        return r
    }

    // MARK: Result

    static func assemble(symbol: SchoenfliesSymbol, operations ops: [PointGroupOperation], table: [[Int]],
                         centre: [Double], symmetrizedCentred: [[Double]], principalAxis: [Double]?,
                         tolerance: Double) -> PointGroup {
        func rank(_ op: PointGroupOperation) -> (Int, Int, Int, Int) {
            switch op.element {
            case .identity: return (0, 0, 0, 0)
            case .rotation(let n, let k): return (1, -n, k, op.symbol.filter { $0 == "'" }.count)
            case .inversion: return (2, 0, 0, 0)
            case .improperRotation(let n, let k): return (3, -n, k, 0)
            case .reflection:
                let planes = ["σh", "σv", "σv'", "σd", "σ"]
                return (4, planes.firstIndex(of: op.symbol) ?? planes.count, 0, 0)
            }
        }
        let sorted = ops.indices.sorted { (rank(ops[$0]) < rank(ops[$1])) || (rank(ops[$0]) == rank(ops[$1]) && $0 < $1) }
        var newIndex = [Int](repeating: 0, count: ops.count)
        for (new, old) in sorted.enumerated() { newIndex[old] = new }
        let newTable = sorted.map { a in sorted.map { b in newIndex[table[a][b]] } }
        return PointGroup(symbol: symbol, operations: sorted.map { ops[$0] }, multiplicationTable: newTable,
                          centreOfMass: centre,
                          symmetrizedPositions: symmetrizedCentred.map { PointGroupMath.add($0, centre) },
                          principalAxis: principalAxis, tolerance: tolerance)
    }
}
