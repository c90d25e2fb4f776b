/// A k-d tree over points in R^d for k-nearest-neighbour queries (bucketed leaves, splits at
/// the median of the widest coordinate). Built once per analysis; queries are O(log N) for
/// low dimension.
public struct KDTree: Sendable {
    let dimension: Int
    /// Row-major coordinates of all points.
    let points: [Double]
    /// Permutation of point indices (32 bits each: half the memory a search reads for them);
    /// each node owns a contiguous range.
    var order: [Int32]
    /// The inverse permutation: `positions[order[i]] == i`, the place of each point in tree order.
    var positions: [Int32] = []
    /// The nodes in preorder: a node's left child is the next node.
    var nodes: [Node] = []
    /// The points' coordinates in tree order (row-major, position i holds point order[i]): a
    /// leaf's points are contiguous.
    private(set) var packed: [Double]
    static let leafSize = 24

    /// A node in 16 bytes (four to a cache line), its meaning told by the sign of `tag`.
    /// Internal node: `splitValue` on coordinate `tag` (≥ 0); the left child (coordinate value
    /// below the split, ties by index) is the next node, the right child is node `link`.
    /// Leaf: the positions `link`..<(−1 − `tag`) of the tree order.
    struct Node: Sendable {
        var splitValue: Double
        var link: Int32
        var tag: Int32

        static func leaf(_ start: Int, _ end: Int) -> Node { Node(splitValue: 0, link: Int32(start), tag: Int32(-1 - end)) }
        static func split(_ dimension: Int, at value: Double, right: Int) -> Node {
            Node(splitValue: value, link: Int32(right), tag: Int32(dimension))
        }

        var isLeaf: Bool { tag < 0 }
        var start: Int { Int(link) }
        var end: Int { Int(-1 - tag) }
        var splitDimension: Int { Int(tag) }
        var right: Int { Int(link) }
    }

    public init(points: [Double], dimension: Int) {
        precondition(dimension > 0 && points.count % dimension == 0)
        self.dimension = dimension
        self.points = points
        let n = points.count / dimension
        // Positions and node ids are stored in 32 bits.
        precondition(n < Int(Int32.max) / 2)
        order = (0..<n).map { Int32($0) }
        packed = points
        if n > 0 {
            // The build moves each point's coordinates along with its index (`packed` is
            // `order` applied to the points at every step), so its scans read memory in order
            // instead of through the permutation; every comparison, hence the tree, is the same.
            var nodes: [Node] = []
            var order = self.order, packed = self.packed
            order.withUnsafeMutableBufferPointer { o in
                packed.withUnsafeMutableBufferPointer { x in
                    _ = Self.build(0, n, order: o.baseAddress!, packed: x.baseAddress!, dimension: dimension, nodes: &nodes)
                }
            }
            self.nodes = nodes
            self.order = order
            self.packed = packed
            var positions = [Int32](repeating: 0, count: n)
            for (i, index) in order.enumerated() { positions[Int(index)] = Int32(i) }
            self.positions = positions
        }
    }

    public var count: Int { order.count }

    /// Builds the subtree of positions start..<end and returns its node id: splits at the median
    /// of the widest coordinate (ties by index), leaves of at most `leafSize` points.
    private static func build(_ start: Int, _ end: Int, order o: UnsafeMutablePointer<Int32>, packed x: UnsafeMutablePointer<Double>,
                              dimension d: Int, nodes: inout [Node]) -> Int {
        let id = nodes.count
        nodes.append(.leaf(start, end))
        guard end - start > Self.leafSize else { return id }
        var best = 0, bestSpread = -1.0
        for j in 0..<d {
            var lo = Double.infinity, hi = -Double.infinity
            for i in start..<end { let v = x[i * d + j]; lo = min(lo, v); hi = max(hi, v) }
            if hi - lo > bestSpread { bestSpread = hi - lo; best = j }
        }
        guard bestSpread > 0 else { return id }
        let mid = (start + end) / 2
        // Only the median matters: partition by (coordinate, index) around rank mid, which puts
        // the same points on each side as a full sort would.
        select(start, end, rank: mid, order: o, packed: x, dimension: d, coordinate: best)
        let splitValue = x[mid * d + best]
        let l = build(start, mid, order: o, packed: x, dimension: d, nodes: &nodes)
        assert(l == id + 1)
        let r = build(mid, end, order: o, packed: x, dimension: d, nodes: &nodes)
        nodes[id] = .split(best, at: splitValue, right: r)
        return id
    }

    /// Rearranges positions start..<end so that position `rank` holds the point a sort by
    /// (coordinate value, index) would put there, smaller keys before it and larger after
    /// (Hoare's quickselect, median-of-three pivots); a point's coordinates move with its index.
    private static func select(_ start: Int, _ end: Int, rank: Int, order o: UnsafeMutablePointer<Int32>,
                               packed x: UnsafeMutablePointer<Double>, dimension d: Int, coordinate c: Int) {
        @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
            let va = x[a * d + c], vb = x[b * d + c]
            return va < vb || (va == vb && o[a] < o[b])
        }
        @inline(__always) func swapAt(_ a: Int, _ b: Int) {
            guard a != b else { return }
            let t = o[a]; o[a] = o[b]; o[b] = t
            for j in 0..<d { let u = x[a * d + j]; x[a * d + j] = x[b * d + j]; x[b * d + j] = u }
        }
        var lo = start, hi = end - 1
        while lo < hi {
            let m = lo + (hi - lo) / 2
            if less(m, lo) { swapAt(m, lo) }
            if less(hi, lo) { swapAt(hi, lo) }
            if less(hi, m) { swapAt(hi, m) }
            // The pivot is a value, not a position: its position moves as the partition swaps.
            let pivotValue = x[m * d + c], pivotIndex = o[m]
            @inline(__always) func belowPivot(_ a: Int) -> Bool {
                let v = x[a * d + c]
                return v < pivotValue || (v == pivotValue && o[a] < pivotIndex)
            }
            @inline(__always) func abovePivot(_ a: Int) -> Bool {
                let v = x[a * d + c]
                return pivotValue < v || (pivotValue == v && pivotIndex < o[a])
            }
            var i = lo, j = hi
            while i <= j {
                while belowPivot(i) { i += 1 }
                while abovePivot(j) { j -= 1 }
                if i <= j { swapAt(i, j); i += 1; j -= 1 }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return }
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
            if node.isLeaf {
                for i in node.start..<node.end {
                    let idx = Int(order[i])
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
            let (near, far) = diff < 0 ? (id + 1, node.right) : (node.right, id + 1)
            visit(near)
            if diff * diff <= worst() { visit(far) }
        }
        if !nodes.isEmpty { visit(0) }
        return heap
    }
}
