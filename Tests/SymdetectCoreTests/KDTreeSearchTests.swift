import XCTest
@testable import SymdetectCore

/// The k-d tree's k-nearest-neighbour search against a brute-force scan: the k smallest
/// (squared distance, index) pairs, nearest first, ties by index, one index excluded, with and
/// without a `within` limit; distances compared bit for bit, and each neighbour's position
/// checked against the tree order that `packedPoints` and `packedValues` use.
final class KDTreeSearchTests: XCTestCase {
    /// Squared distance summed left to right from 0 (the order the search must reproduce).
    static func distance(_ pts: [Double], _ i: Int, _ q: [Double]) -> Double {
        let d = q.count
        var s = 0.0
        for j in 0..<d { let t = pts[i * d + j] - q[j]; s += t * t }
        return s
    }

    /// All points but `excluded`, sorted by (squared distance, index).
    static func bruteForce(_ pts: [Double], _ q: [Double], excluding excluded: Int) -> [(index: Int, distance: Double)] {
        let n = pts.count / q.count
        var all: [(index: Int, distance: Double)] = []
        for i in 0..<n where i != excluded { all.append((i, distance(pts, i, q))) }
        all.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
        return all
    }

    /// Points of one of four kinds: uniform, a coarse integer grid (many exact ties), a few
    /// distinct values with duplicated points, or all points equal.
    static func points(_ kind: Int, count n: Int, dimension d: Int, rng: inout SeededGenerator) -> [Double] {
        var pts: [Double] = []
        for i in 0..<n {
            switch kind {
            case 0: for _ in 0..<d { pts.append(rng.uniform(-1, 1)) }
            case 1: for _ in 0..<d { pts.append(Double(Int(rng.next() % 7)) - 3) }
            case 2:
                if i > 3, rng.next() % 3 == 0 {
                    let src = Int(rng.next() % UInt64(i))
                    pts += pts[(src * d)..<(src * d + d)]
                } else {
                    for _ in 0..<d { pts.append((rng.uniform(-1, 1) * 4).rounded() / 4) }
                }
            default: for j in 0..<d { pts.append(Double(j) * 0.5) }
            }
        }
        return pts
    }

    func check(kind: Int, count n: Int, dimension d: Int, queries: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let pts = Self.points(kind, count: n, dimension: d, rng: &rng)
        let tree = KDTree(points: pts, dimension: d)
        let packed = tree.packedPoints()
        XCTAssertEqual(tree.count, n)
        XCTAssertEqual(packed.count, pts.count)
        // Position p holds the point whose index `packedValues` puts there.
        let tags = tree.packedValues((0..<n).map { Double($0) })
        for p in 0..<n {
            let i = Int(tags[p])
            XCTAssertEqual(Array(packed[(p * d)..<(p * d + d)]), Array(pts[(i * d)..<(i * d + d)]), "position \(p)")
        }
        XCTAssertEqual(Set(tags.map { Int($0) }), Set(0..<n))
        for trial in 0..<queries {
            // Queries on the points' own values (exact ties), slightly off them, or anywhere.
            var q: [Double]
            switch trial % 3 {
            case 0 where n > 0:
                let i = Int(rng.next() % UInt64(n))
                q = Array(pts[(i * d)..<(i * d + d)])
            case 1: q = (0..<d).map { _ in (rng.uniform(-1.5, 1.5) * 8).rounded() / 8 }
            default: q = (0..<d).map { _ in rng.uniform(-4, 4) }
            }
            let k = [1, 2, 7, 22, n + 3][trial % 5]
            let excluded = n > 0 && trial % 2 == 0 ? Int(rng.next() % UInt64(n)) : -1
            let all = Self.bruteForce(pts, q, excluding: excluded)
            let brute = Array(all.prefix(k))
            let found = tree.nearestNeighbours(q, k: k, excluding: excluded, packed: packed)
            let label = "kind \(kind) n \(n) d \(d) trial \(trial) k \(k)"
            XCTAssertEqual(found.map { $0.index }, brute.map { $0.index }, label)
            XCTAssertEqual(found.map { $0.distanceSquared.bitPattern }, brute.map { $0.distance.bitPattern }, label)
            for r in found { XCTAssertEqual(Int(tags[r.position]), r.index, label) }
            // A `within` limit: exact whenever k are found within it; otherwise the true k-th
            // distance lies beyond it (or there are fewer than k points).
            let kth = brute.last?.distance ?? 1
            for limit in [kth, kth * 0.5, kth * 2, 0, 1e-3] {
                let bounded = tree.nearestNeighbours(q, k: k, excluding: excluded, within: limit, packed: packed)
                for r in bounded { XCTAssertEqual(Int(tags[r.position]), r.index, label) }
                if bounded.count == k, let last = bounded.last, last.distanceSquared <= limit {
                    XCTAssertEqual(bounded.map { $0.index }, brute.map { $0.index }, "\(label) limit \(limit)")
                    XCTAssertEqual(bounded.map { $0.distanceSquared.bitPattern }, brute.map { $0.distance.bitPattern }, "\(label) limit \(limit)")
                } else {
                    XCTAssertTrue(brute.count < k || brute[k - 1].distance > limit, "\(label) limit \(limit)")
                }
            }
        }
    }

    func testUniformPoints() {
        for d in [1, 2, 3, 5] { check(kind: 0, count: 1000, dimension: d, queries: 40, seed: 1 + UInt64(d)) }
    }

    func testIntegerGridTies() {
        for d in [1, 2, 3, 5] { check(kind: 1, count: 800, dimension: d, queries: 40, seed: 11 + UInt64(d)) }
    }

    func testDuplicatedPoints() {
        for d in [1, 2, 3, 5] { check(kind: 2, count: 800, dimension: d, queries: 40, seed: 21 + UInt64(d)) }
    }

    func testAllPointsEqual() {
        for d in [1, 3] { check(kind: 3, count: 100, dimension: d, queries: 20, seed: 31 + UInt64(d)) }
    }

    func testFewPoints() {
        for n in [0, 1, 2, 5, 24, 25, 49] {
            for d in [1, 3] { check(kind: n % 2, count: n, dimension: d, queries: 15, seed: 41 + UInt64(n)) }
        }
    }

    /// The caller-buffer entry point the mirror test uses returns the same neighbours.
    func testBufferEntryPoint() {
        var rng = SeededGenerator(seed: 51)
        let d = 3, n = 3000, k = 22
        let pts = Self.points(2, count: n, dimension: d, rng: &rng)
        let tree = KDTree(points: pts, dimension: d)
        let packed = tree.packedPoints()
        let buffer = NeighbourBuffer(capacity: k)
        defer { buffer.deallocate() }
        for trial in 0..<100 {
            let q = (0..<d).map { _ in (rng.uniform(-1.2, 1.2) * 8).rounded() / 8 }
            let excluded = trial % 3 == 0 ? -1 : Int(rng.next() % UInt64(n))
            let brute = Array(Self.bruteForce(pts, q, excluding: excluded).prefix(k))
            let found = q.withUnsafeBufferPointer { qp in
                packed.withUnsafeBufferPointer { p in
                    tree.nearestNeighbours(qp.baseAddress!, k: k, excluding: excluded, within: .infinity, packed: p, into: buffer)
                }
            }
            XCTAssertEqual(found, k)
            XCTAssertEqual((0..<k).map { buffer.indices[$0] }, brute.map { $0.index }, "trial \(trial)")
            XCTAssertEqual((0..<k).map { buffer.distances[$0].bitPattern }, brute.map { $0.distance.bitPattern }, "trial \(trial)")
            for m in 0..<k {
                let p = buffer.positions[m], i = buffer.indices[m]
                XCTAssertEqual(Array(packed[(p * d)..<(p * d + d)]), Array(pts[(i * d)..<(i * d + d)]), "trial \(trial)")
            }
        }
    }
}
