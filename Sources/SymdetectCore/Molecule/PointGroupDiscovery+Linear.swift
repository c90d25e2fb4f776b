import Foundation

extension PointGroupDiscovery {
    /// C∞v or D∞h when every atom lies within tolerance/2 of the line through the centre along the
    /// dominant eigenvector of Σ xᵢxᵢᵀ (a rotation by any angle about that line then moves no atom
    /// by more than the tolerance); nil otherwise.
    ///
    /// The operations returned are a finite subgroup on the frame z = axis (oriented
    /// deterministically), x = the coordinate axis least aligned with z made perpendicular to it,
    /// y = z × x: C2v = {E, C2(z), σv(xz), σv(yz)} for C∞v; D2h, adding i, σh, C2'(x), C2'(y) with
    /// the end-swap permutation, for D∞h (present when the inversion maps the molecule onto itself).
    static func linearGroup(x: [[Double]], types: [Int], centre: [Double], tolerance eps: Double) throws -> PointGroup? {
        let n = x.count
        var s = [Double](repeating: 0, count: 9)
        for v in x { for r in 0..<3 { for c in 0..<3 { s[3 * r + c] += v[r] * v[c] } } }
        let axis = PointGroupMath.oriented(PointGroupMath.normalized(try PointGroupMath.dominantEigenvector(s).vector))
        let offAxis = x.map { PointGroupMath.norm(PointGroupMath.sub($0, PointGroupMath.scale(axis, PointGroupMath.dot3($0, axis)))) }
        guard 2 * (offAxis.max() ?? 0) <= eps else { return nil }

        var k = 0
        for j in 1..<3 where abs(axis[j]) < abs(axis[k]) { k = j }
        var unit = [0.0, 0.0, 0.0]
        unit[k] = 1
        let xAxis = PointGroupMath.normalized(PointGroupMath.sub(unit, PointGroupMath.scale(axis, axis[k])))
        let yAxis = PointGroupMath.cross(axis, xAxis)

        // End swap: each atom to the identical atom nearest its inversion image.
        var swap: [Int]? = (0..<n).map { i in
            (0..<n).filter { types[$0] == types[i] }.min {
                PointGroupMath.norm(PointGroupMath.add(x[$0], x[i])) < PointGroupMath.norm(PointGroupMath.add(x[$1], x[i]))
            }!
        }
        if let p = swap, Set(p).count != n || deviation(x: x, permutation: p, matrix: PointGroupMath.identity.map { -$0 }) > eps {
            swap = nil
        }

        let identity = Array(0..<n)
        typealias Spec = (permutation: [Int], matrix: M3, element: PointGroupOperation.Element, axis: [Double]?, symbol: String)
        var specs: [Spec] = [
            (identity, PointGroupMath.identity, .identity, nil, "E"),
            (identity, PointGroupMath.halfTurn(axis: axis), .rotation(order: 2, power: 1), axis, "C2"),
            (identity, PointGroupMath.reflection(normal: yAxis), .reflection, yAxis, "σv"),
            (identity, PointGroupMath.reflection(normal: xAxis), .reflection, xAxis, "σv'"),
        ]
        if let p = swap {
            specs += [
                (p, PointGroupMath.identity.map { -$0 }, .inversion, nil, "i"),
                (p, PointGroupMath.reflection(normal: axis), .reflection, axis, "σh"),
                (p, PointGroupMath.halfTurn(axis: xAxis), .rotation(order: 2, power: 1), xAxis, "C2'"),
                (p, PointGroupMath.halfTurn(axis: yAxis), .rotation(order: 2, power: 1), yAxis, "C2''"),
            ]
        }
        let candidates = specs.map { Candidate(permutation: $0.permutation, matrix: $0.matrix, deviation: 0) }
        var byPermutation: [[Int]: [Int]] = [:]
        for (k, c) in candidates.enumerated() { byPermutation[c.permutation, default: []].append(k) }
        let table = candidates.map { a in candidates.map { b in productIndex(a, b, ops: candidates, byPermutation: byPermutation)! } }

        var along = x.map { PointGroupMath.dot3($0, axis) }
        if let p = swap { along = (0..<n).map { 0.5 * (along[$0] - along[p[$0]]) } }
        let symmetrized = along.map { PointGroupMath.scale(axis, $0) }
        let operations = specs.map {
            PointGroupOperation(permutation: $0.permutation, matrix: PointGroupMath.matrix($0.matrix), element: $0.element,
                                axis: $0.axis, symbol: $0.symbol,
                                maxDeviation: deviation(x: x, permutation: $0.permutation, matrix: $0.matrix))
        }
        return assemble(symbol: swap == nil ? .cInfinityV : .dInfinityH, operations: operations, table: table,
                        centre: centre, symmetrizedCentred: symmetrized, principalAxis: axis, tolerance: eps)
    }
}
