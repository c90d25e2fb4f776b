extension KDTree {
    /// The k nearest points to `query` (excluding index `excluded`), nearest first, ties broken
    /// by index: the same answer as `nearest(_:k:excluding:)`, bit for bit (same distance
    /// arithmetic, same admission and ordering rule), found without recursion, closures or
    /// per-candidate array insertions (the k best so far are a max-heap by (distance, index),
    /// sorted once at the end). The mirror test asks ~10⁵ such queries per analysis.
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
        // Pending subtrees with a lower bound on the squared distance from the query to their
        // cell, kept incrementally (Arya & Mount): per coordinate, the offset of the query from
        // the cell's slab; entering the far side of a split replaces that coordinate's offset.
        // A subtree is skipped only when its bound (relaxed by 1e-9 for the rounding of the
        // incremental sum) exceeds the current k-th distance, so the answer is exactly the
        // k smallest (distance, index) pairs, as before. All scratch space is on the stack.
        let reach = limit * (1 + 1e-9)
        let capacity = 128
        let bestDistance = result.distances, bestIndex = result.indices, bestPosition = result.positions
        // Three coordinates (the common case) are read once, and their distance unrolled:
        // ((0 + t0²) + t1²) + t2² is t0² + t1² + t2² summed left to right, as the loop does.
        let (q0, q1, q2) = d == 3 ? (q[0], q[1], q[2]) : (0, 0, 0)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: capacity + capacity * d) { doubles in
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { ints in
            let sb = doubles.baseAddress!
            let so = doubles.baseAddress! + capacity
            let sn = ints.baseAddress!
            var found = 0
            order.withUnsafeBufferPointer { ord in
            nodes.withUnsafeBufferPointer { nd in
                var top = 1
                sn[0] = 0; sb[0] = 0
                for j in 0..<d { so[j] = 0 }
                while top > 0 {
                    top -= 1
                    let id = sn[top]
                    let bound = sb[top]
                    let worst = min(found < k ? Double.infinity : bestDistance[0], reach)
                    if bound * (1 - 1e-9) > worst { continue }
                    let node = nd[id]
                    if node.left < 0 {
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
                            let w = found < k ? Double.infinity : bestDistance[0]
                            // Beyond the k-th distance: never admitted, whatever its index.
                            guard s <= w else { continue }
                            let idx = ord[i]
                            if idx == excluded { continue }
                            if found < k {
                                // Sift up from the new leaf.
                                var c = found
                                found += 1
                                while c > 0 {
                                    let parent = (c - 1) >> 1
                                    let pd = bestDistance[parent], pi = bestIndex[parent]
                                    guard pd < s || (pd == s && pi < idx) else { break }
                                    bestDistance[c] = pd; bestIndex[c] = pi; bestPosition[c] = bestPosition[parent]
                                    c = parent
                                }
                                bestDistance[c] = s; bestIndex[c] = idx; bestPosition[c] = i
                                continue
                            }
                            guard s < w || idx < bestIndex[0] else { continue }
                            Self.siftDown(s, idx, i, count: k, bestDistance, bestIndex, bestPosition)
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
            }}
            // Heap sort: the largest to the back, one at a time, leaves them nearest first.
            var n = found
            while n > 1 {
                n -= 1
                let d0 = bestDistance[n], i0 = bestIndex[n], p0 = bestPosition[n]
                bestDistance[n] = bestDistance[0]; bestIndex[n] = bestIndex[0]; bestPosition[n] = bestPosition[0]
                Self.siftDown(d0, i0, p0, count: n, bestDistance, bestIndex, bestPosition)
            }
            return found
        }}
    }

    /// Puts (s, idx, position) at the root of the max-heap of `count` entries ordered by
    /// (squared distance, index) and sifts it down to its place.
    @inline(__always)
    static func siftDown(_ s: Double, _ idx: Int, _ position: Int, count: Int, _ bestDistance: UnsafeMutablePointer<Double>,
                         _ bestIndex: UnsafeMutablePointer<Int>, _ bestPosition: UnsafeMutablePointer<Int>) {
        var c = 0
        while true {
            var child = 2 * c + 1
            if child >= count { break }
            if child + 1 < count {
                let ad = bestDistance[child], bd = bestDistance[child + 1]
                if bd > ad || (bd == ad && bestIndex[child + 1] > bestIndex[child]) { child += 1 }
            }
            let cd = bestDistance[child], ci = bestIndex[child]
            guard cd > s || (cd == s && ci > idx) else { break }
            bestDistance[c] = cd; bestIndex[c] = ci; bestPosition[c] = bestPosition[child]
            c = child
        }
        bestDistance[c] = s; bestIndex[c] = idx; bestPosition[c] = position
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
