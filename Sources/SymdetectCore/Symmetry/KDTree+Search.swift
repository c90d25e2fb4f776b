extension KDTree {
    /// The k nearest points to `query` (excluding index `excluded`), nearest first, ties broken
    /// by index: the same answer as `nearest(_:k:excluding:)`, bit for bit (same distance
    /// arithmetic, same admission and ordering rule), found without recursion, closures or
    /// per-candidate array insertions. The mirror test asks ~10⁵ such queries per analysis.
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
        let d = dimension
        // Pending subtrees with a lower bound on the squared distance from the query to their
        // cell, kept incrementally (Arya & Mount): per coordinate, the offset of the query from
        // the cell's slab; entering the far side of a split replaces that coordinate's offset.
        // A subtree is skipped only when its bound (relaxed by 1e-9 for the rounding of the
        // incremental sum) exceeds the current k-th distance, so the answer is exactly the
        // k smallest (distance, index) pairs, as before. All scratch space is on the stack.
        let reach = limit * (1 + 1e-9)
        let capacity = 128
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: k + capacity + capacity * d) { doubles in
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * k + capacity) { ints in
            let bestDistance = doubles.baseAddress!
            let sb = doubles.baseAddress! + k
            let so = doubles.baseAddress! + k + capacity
            let bestIndex = ints.baseAddress!
            let bestPosition = ints.baseAddress! + k
            let sn = ints.baseAddress! + 2 * k
            var found = 0
            query.withUnsafeBufferPointer { q in
            packed.withUnsafeBufferPointer { pts in
            order.withUnsafeBufferPointer { ord in
            nodes.withUnsafeBufferPointer { nd in
                var top = 1
                sn[0] = 0; sb[0] = 0
                for j in 0..<d { so[j] = 0 }
                while top > 0 {
                    top -= 1
                    let id = sn[top]
                    let bound = sb[top]
                    let worst = min(found < k ? Double.infinity : bestDistance[k - 1], reach)
                    if bound * (1 - 1e-9) > worst { continue }
                    let node = nd[id]
                    if node.left < 0 {
                        for i in node.start..<node.end {
                            let idx = ord[i]
                            if idx == excluded { continue }
                            var s = 0.0
                            let base = i * d
                            for j in 0..<d { let t = pts[base + j] - q[j]; s += t * t }
                            let w = found < k ? Double.infinity : bestDistance[k - 1]
                            guard s < w || (s == w && found == k && idx < bestIndex[k - 1]) else { continue }
                            var pos = found
                            while pos > 0 && (bestDistance[pos - 1] > s || (bestDistance[pos - 1] == s && bestIndex[pos - 1] > idx)) { pos -= 1 }
                            var m = found < k ? found : k - 1
                            while m > pos {
                                bestDistance[m] = bestDistance[m - 1]; bestIndex[m] = bestIndex[m - 1]; bestPosition[m] = bestPosition[m - 1]
                                m -= 1
                            }
                            bestDistance[pos] = s
                            bestIndex[pos] = idx
                            bestPosition[pos] = i
                            if found < k { found += 1 }
                        }
                        continue
                    }
                    precondition(top + 2 <= capacity, "k-d tree deeper than its search stack")
                    let sd = node.splitDimension
                    let diff = q[sd] - node.splitValue
                    let (near, far) = diff < 0 ? (node.left, node.right) : (node.right, node.left)
                    // Far child (entry `top`): offset along sd becomes |diff|.
                    let from = top * d
                    let old = so[from + sd]
                    sn[top] = far
                    sb[top] = max(0, bound - old * old + diff * diff)
                    so[from + sd] = diff
                    // Near child (entry top + 1): same cell bound; the parent's offsets.
                    let to = from + d
                    for j in 0..<d { so[to + j] = so[from + j] }
                    so[to + sd] = old
                    sn[top + 1] = near
                    sb[top + 1] = bound
                    top += 2
                }
            }}}}
            return (0..<found).map { (bestIndex[$0], bestDistance[$0], bestPosition[$0]) }
        }}
    }

    /// Values attached to the points (one per point), in tree order.
    func packedValues(_ values: [Double]) -> [Double] { order.map { values[$0] } }

    /// The points' coordinates in tree order (row-major, position i holds point order[i]).
    func packedPoints() -> [Double] {
        var out = [Double](repeating: 0, count: points.count)
        for (i, idx) in order.enumerated() { for j in 0..<dimension { out[i * dimension + j] = points[idx * dimension + j] } }
        return out
    }
}
