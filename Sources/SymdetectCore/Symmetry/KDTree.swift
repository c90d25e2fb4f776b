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
    static let leafSize = 12

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
        for j in 0..<dimension {
            var lo = Double.infinity, hi = -Double.infinity
            for i in start..<end { let v = points[order[i] * dimension + j]; lo = min(lo, v); hi = max(hi, v) }
            if hi - lo > bestSpread { bestSpread = hi - lo; best = j }
        }
        guard bestSpread > 0 else { return id }
        let d = dimension, pts = points
        order[start..<end].sort { pts[$0 * d + best] < pts[$1 * d + best] || (pts[$0 * d + best] == pts[$1 * d + best] && $0 < $1) }
        let mid = (start + end) / 2
        nodes[id].splitDimension = best
        nodes[id].splitValue = points[order[mid] * dimension + best]
        let l = build(start, mid)
        let r = build(mid, end)
        nodes[id].left = l
        nodes[id].right = r
        return id
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
