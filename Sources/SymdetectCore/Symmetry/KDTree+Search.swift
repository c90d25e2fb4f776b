extension KDTree {
    /// The k nearest points to `query` (excluding index `excluded`), nearest first, ties broken
    /// by index: the same answer as `nearest(_:k:excluding:)`, bit for bit (same distance
    /// arithmetic, same admission and ordering rule), found without recursion, closures or
    /// array allocations (the k best so far are kept sorted by (distance, index) in the result
    /// buffers, a new one inserted at its place). The mirror test asks ~10⁵ such queries per
    /// analysis.
    ///
    /// With `within` (a squared distance), subtrees wholly beyond it are not searched: every
    /// point with squared distance ≤ `within` is still considered, so whenever the k-th
    /// distance returned is ≤ `within` the answer is the unbounded one; otherwise (fewer than
    /// k points, or a k-th distance beyond `within`) the true k-th distance exceeds `within`.
    ///
    /// `packed` is `packedPoints()`: the coordinates in tree order, so that a leaf's points are
    /// contiguous in memory (a leaf scan then reads a few cache lines instead of a dozen scattered
    /// points; the values, hence the distances, are the same). Each neighbour also comes with its
    /// position in that order, where callers find its packed coordinates and values.
    func nearestNeighbours(_ query: [Double], k: Int, excluding excluded: Int = -1,
                           within limit: Double = .infinity, packed: [Double]) -> [(index: Int, distanceSquared: Double, position: Int)] {
        precondition(packed.count == points.count)
        guard k > 0, !nodes.isEmpty else { return [] }
        precondition(query.count == dimension)
        let result = NeighbourBuffer(capacity: k)
        defer { result.deallocate() }
        let found = query.withUnsafeBufferPointer { q in
            packed.withUnsafeBufferPointer { pts in
                nearestNeighbours(q.baseAddress!, k: k, excluding: excluded, within: limit, packed: pts, into: result)
            }
        }
        return (0..<found).map { (result.indices[$0], result.distances[$0], result.positions[$0]) }
    }

    /// `nearestNeighbours(_:k:excluding:within:packed:)` into caller-owned buffers (capacity ≥ k):
    /// returns how many were found (k, unless the tree has fewer points or `within` cut the
    /// search short), nearest first.
    func nearestNeighbours(_ q: UnsafePointer<Double>, k: Int, excluding excluded: Int, within limit: Double,
                           packed pts: UnsafeBufferPointer<Double>, into result: NeighbourBuffer) -> Int {
        guard k > 0, !nodes.isEmpty else { return 0 }
        let d = dimension
        // The search works on tree-order positions: the excluded point becomes a position once,
        // and a candidate's index is read only to break an exact tie of distances (and at the end).
        let excludedPosition = excluded >= 0 && excluded < order.count ? Int(positions[excluded]) : -1
        // Pending subtrees with a lower bound on the squared distance from the query to their
        // cell, kept incrementally (Arya & Mount): per coordinate, the offset of the query from
        // the cell's slab; entering the far side of a split replaces that coordinate's offset.
        // A subtree is skipped only when its bound (relaxed by 1e-9 for the rounding of the
        // incremental sum) exceeds the current k-th distance, so the answer is exactly the
        // k smallest (distance, index) pairs. The k-th distance never grows, so a far child
        // already beyond it when its parent is split is never pushed: it would be skipped when
        // popped. The near child is entered at once with its parent's bound and offsets, which
        // have just passed the test. All scratch space is on the stack.
        let reach = limit * (1 + 1e-9)
        let capacity = 128
        let bestDistance = result.distances, bestPosition = result.positions
        // Three coordinates (the common case) are read once, and their distance unrolled:
        // ((0 + t0²) + t1²) + t2² is t0² + t1² + t2² summed left to right, as the loop does.
        let (q0, q1, q2) = d == 3 ? (q[0], q[1], q[2]) : (0, 0, 0)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: capacity + (capacity + 1) * d) { doubles in
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { ints in
            let sb = doubles.baseAddress!
            let so = sb + capacity
            let offset = so + capacity * d
            let sn = ints.baseAddress!
            var found = 0
            order.withUnsafeBufferPointer { ord in
            nodes.withUnsafeBufferPointer { nd in
                let ord = ord.baseAddress!, nd = nd.baseAddress!
                // A candidate is admitted when its distance is at most `admit` (the k-th
                // distance so far; infinite until k are found), ties decided by index.
                var admit = Double.infinity
                var top = 0
                var id = 0, bound = 0.0
                for j in 0..<d { offset[j] = 0 }
                search: while true {
                    // Descend from node `id` (cell bound `bound`, offsets `offset`) to a leaf.
                    var node = nd[id]
                    let prune = min(admit, reach)
                    while !node.isLeaf {
                        let sd = node.splitDimension
                        let diff = q[sd] - node.splitValue
                        let (near, far) = diff < 0 ? (id + 1, node.right) : (node.right, id + 1)
                        let old = offset[sd]
                        let farBound = max(0, bound - old * old + diff * diff)
                        if !(farBound * (1 - 1e-9) > prune) {
                            precondition(top < capacity, "k-d tree deeper than its search stack")
                            let to = so + top * d
                            for j in 0..<d { to[j] = offset[j] }
                            to[sd] = diff
                            sn[top] = far
                            sb[top] = farBound
                            top += 1
                        }
                        id = near
                        node = nd[id]
                    }
                    for i in node.start..<node.end {
                        var s: Double
                        if d == 3 {
                            let t0 = pts[3 * i] - q0, t1 = pts[3 * i + 1] - q1, t2 = pts[3 * i + 2] - q2
                            s = t0 * t0 + t1 * t1
                            s += t2 * t2
                        } else {
                            s = 0.0
                            let base = i * d
                            for j in 0..<d { let t = pts[base + j] - q[j]; s += t * t }
                        }
                        // Beyond the k-th distance: never admitted, whatever its index.
                        guard s <= admit, i != excludedPosition else { continue }
                        // Ordered insertion: entries after the new one's place move one back
                        // (the k-th drops off once k are held).
                        guard found < k || s < admit || ord[i] < ord[bestPosition[k - 1]] else { continue }
                        var c = found < k ? found : k - 1
                        while c > 0 && Self.precedes(s, i, bestDistance[c - 1], bestPosition[c - 1], order: ord) {
                            bestDistance[c] = bestDistance[c - 1]; bestPosition[c] = bestPosition[c - 1]
                            c -= 1
                        }
                        bestDistance[c] = s; bestPosition[c] = i
                        if found < k { found += 1 }
                        if found == k { admit = bestDistance[k - 1] }
                    }
                    // Resume at the deepest pending subtree still within reach.
                    while true {
                        guard top > 0 else { break search }
                        top -= 1
                        bound = sb[top]
                        if bound * (1 - 1e-9) > min(admit, reach) { continue }
                        id = sn[top]
                        let from = so + top * d
                        for j in 0..<d { offset[j] = from[j] }
                        break
                    }
                }
            }
            for m in 0..<found { result.indices[m] = Int(ord[bestPosition[m]]) }
            }
            return found
        }}
    }

    /// Whether (squared distance `a`, index of position `p`) orders before (`b`, index of `r`):
    /// indices are compared, through `order`, only when the distances are equal.
    @inline(__always)
    static func precedes(_ a: Double, _ p: Int, _ b: Double, _ r: Int, order: UnsafePointer<Int32>) -> Bool {
        a < b || (a == b && order[p] < order[r])
    }

    /// Values attached to the points (one per point), in tree order.
    func packedValues(_ values: [Double]) -> [Double] { order.map { values[Int($0)] } }

    /// The points' coordinates in tree order (row-major, position i holds point order[i]).
    func packedPoints() -> [Double] { packed }
}

/// Caller-owned result buffers of a k-nearest-neighbour search: squared distances, point
/// indices and tree-order positions, nearest first.
struct NeighbourBuffer {
    let distances: UnsafeMutablePointer<Double>
    let indices: UnsafeMutablePointer<Int>
    let positions: UnsafeMutablePointer<Int>

    init(capacity: Int) {
        distances = .allocate(capacity: capacity)
        indices = .allocate(capacity: capacity)
        positions = .allocate(capacity: capacity)
    }

    func deallocate() { distances.deallocate(); indices.deallocate(); positions.deallocate() }
}
