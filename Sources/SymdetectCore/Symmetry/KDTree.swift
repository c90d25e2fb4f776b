/// A k-d tree over points in R^d for k-nearest-neighbour queries (bucketed leaves, splits at
/// the median of the widest coordinate). Built once per analysis; queries are O(log N) for
/// low dimension.
public struct KDTree: Sendable {
    let dimension: Int
    /// Row-major coordinates of all points.
    let points: [Double]
    /// Permutation of point indices; each node owns a contiguous range.
    var order: [Int]
    var nodes: [Node] = []
    static let leafSize = 24

    struct Node: Sendable {
        var start: Int, end: Int
        var splitDimension: Int = -1
        var splitValue: Double = 0
        var left: Int = -1, right: Int = -1
    }

    public init(points: [Double], dimension: Int) {
        precondition(dimension > 0 && points.count % dimension == 0)
        self.dimension = dimension
        self.points = points
        let n = points.count / dimension
        order = Array(0..<n)
        if n > 0 { _ = build(0, n) }
    }

    public var count: Int { order.count }

    private mutating func build(_ start: Int, _ end: Int) -> Int {
        let id = nodes.count
        nodes.append(Node(start: start, end: end))
        guard end - start > Self.leafSize else { return id }
        var best = 0, bestSpread = -1.0
        let d = dimension
        points.withUnsafeBufferPointer { pts in
        order.withUnsafeBufferPointer { o in
            for j in 0..<d {
                var lo = Double.infinity, hi = -Double.infinity
                for i in start..<end { let v = pts[o[i] * d + j]; lo = min(lo, v); hi = max(hi, v) }
                if hi - lo > bestSpread { bestSpread = hi - lo; best = j }
            }
        }}
        guard bestSpread > 0 else { return id }
        let mid = (start + end) / 2
        // Only the median matters: partition by (coordinate, index) around rank mid, which puts
        // the same points on each side as a full sort would.
        Self.select(&order, start, end, rank: mid, points: points, dimension: dimension, coordinate: best)
        nodes[id].splitDimension = best
        nodes[id].splitValue = points[order[mid] * dimension + best]
        let l = build(start, mid)
        let r = build(mid, end)
        nodes[id].left = l
        nodes[id].right = r
        return id
    }

    /// Rearranges order[start..<end] so that position `rank` holds the element a sort by
    /// (coordinate value, index) would put there, smaller keys before it and larger after
    /// (Hoare's quickselect, median-of-three pivots).
    static func select(_ order: inout [Int], _ start: Int, _ end: Int, rank: Int, points: [Double], dimension d: Int, coordinate c: Int) {
        points.withUnsafeBufferPointer { pts in
            order.withUnsafeMutableBufferPointer { o in
                @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
                    let va = pts[a * d + c], vb = pts[b * d + c]
                    return va < vb || (va == vb && a < b)
                }
                var lo = start, hi = end - 1
                while lo < hi {
                    let m = lo + (hi - lo) / 2
                    if less(o[m], o[lo]) { o.swapAt(m, lo) }
                    if less(o[hi], o[lo]) { o.swapAt(hi, lo) }
                    if less(o[hi], o[m]) { o.swapAt(hi, m) }
                    let pivot = o[m]
                    var i = lo, j = hi
                    while i <= j {
                        while less(o[i], pivot) { i += 1 }
                        while less(pivot, o[j]) { j -= 1 }
                        if i <= j { o.swapAt(i, j); i += 1; j -= 1 }
                    }
                    if rank <= j { hi = j } else if rank >= i { lo = i } else { return }
                }
            }
        }
    }

    /// The k nearest points to `query` (excluding index `excluded`), nearest first, as
    /// (index, squared distance). Ties are broken by index, so results are deterministic.
    public func nearest(_ query: [Double], k: Int, excluding excluded: Int = -1) -> [(index: Int, distanceSquared: Double)] {
        var heap: [(index: Int, distanceSquared: Double)] = []   // sorted ascending, at most k
        heap.reserveCapacity(k + 1)
        func worst() -> Double { heap.count < k ? .infinity : heap[heap.count - 1].distanceSquared }
        func visit(_ id: Int) {
            let node = nodes[id]
            if node.left < 0 {
                for i in node.start..<node.end {
                    let idx = order[i]
                    if idx == excluded { continue }
                    var s = 0.0
                    let base = idx * dimension
                    for j in 0..<dimension { let t = points[base + j] - query[j]; s += t * t }
                    if s < worst() || (s == worst() && heap.count == k && idx < heap[k - 1].index) {
                        var pos = heap.count
                        while pos > 0 && (heap[pos - 1].distanceSquared > s || (heap[pos - 1].distanceSquared == s && heap[pos - 1].index > idx)) { pos -= 1 }
                        heap.insert((idx, s), at: pos)
                        if heap.count > k { heap.removeLast() }
                    }
                }
                return
            }
            let diff = query[node.splitDimension] - node.splitValue
            let (near, far) = diff < 0 ? (node.left, node.right) : (node.right, node.left)
            visit(near)
            if diff * diff <= worst() { visit(far) }
        }
        if !nodes.isEmpty { visit(0) }
        return heap
    }
}
