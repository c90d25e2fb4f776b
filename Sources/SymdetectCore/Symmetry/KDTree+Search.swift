extension KDTree {
    /// The k nearest points to `query` (excluding index `excluded`), nearest first, ties broken
    /// by index: the same answer as `nearest(_:k:excluding:)`, bit for bit (same distance
    /// arithmetic, same admission and ordering rule), found without recursion, closures or
    /// per-candidate array insertions. The mirror test asks ~10⁵ such queries per analysis.
    func nearestNeighbours(_ query: [Double], k: Int, excluding excluded: Int = -1) -> [(index: Int, distanceSquared: Double)] {
        guard k > 0, !nodes.isEmpty else { return [] }
        precondition(query.count == dimension)
        let d = dimension
        let bestDistance = UnsafeMutablePointer<Double>.allocate(capacity: k)
        let bestIndex = UnsafeMutablePointer<Int>.allocate(capacity: k)
        defer { bestDistance.deallocate(); bestIndex.deallocate() }
        var found = 0
        // Pending subtrees with the squared distance to their splitting plane; a subtree is
        // entered only while that bound does not exceed the current k-th distance, exactly when
        // the recursive search would enter it.
        var stackNode = [Int](repeating: 0, count: 128)
        var stackBound = [Double](repeating: 0, count: 128)
        query.withUnsafeBufferPointer { q in
            points.withUnsafeBufferPointer { pts in
                order.withUnsafeBufferPointer { ord in
                    nodes.withUnsafeBufferPointer { nd in
                        stackNode.withUnsafeMutableBufferPointer { sn in
                            stackBound.withUnsafeMutableBufferPointer { sb in
                                var top = 0
                                sn[0] = 0; sb[0] = 0; top = 1
                                while top > 0 {
                                    top -= 1
                                    let id = sn[top]
                                    let worst = found < k ? Double.infinity : bestDistance[k - 1]
                                    if sb[top] > worst { continue }
                                    let node = nd[id]
                                    if node.left < 0 {
                                        for i in node.start..<node.end {
                                            let idx = ord[i]
                                            if idx == excluded { continue }
                                            var s = 0.0
                                            let base = idx * d
                                            for j in 0..<d { let t = pts[base + j] - q[j]; s += t * t }
                                            let w = found < k ? Double.infinity : bestDistance[k - 1]
                                            guard s < w || (s == w && found == k && idx < bestIndex[k - 1]) else { continue }
                                            var pos = found
                                            while pos > 0 && (bestDistance[pos - 1] > s || (bestDistance[pos - 1] == s && bestIndex[pos - 1] > idx)) { pos -= 1 }
                                            var m = found < k ? found : k - 1
                                            while m > pos { bestDistance[m] = bestDistance[m - 1]; bestIndex[m] = bestIndex[m - 1]; m -= 1 }
                                            bestDistance[pos] = s
                                            bestIndex[pos] = idx
                                            if found < k { found += 1 }
                                        }
                                        continue
                                    }
                                    let diff = q[node.splitDimension] - node.splitValue
                                    let (near, far) = diff < 0 ? (node.left, node.right) : (node.right, node.left)
                                    precondition(top + 2 <= sn.count, "k-d tree deeper than its search stack")
                                    sn[top] = far; sb[top] = diff * diff; top += 1
                                    sn[top] = near; sb[top] = 0; top += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<found).map { (bestIndex[$0], bestDistance[$0]) }
    }
}
