import Foundation

/// Seeded subsets of row indices — the first `limit` of 0..<n after a `SeededGenerator(seed)`
/// shuffle, sorted — drawn once per (n, limit, seed) and shared. Several stages (and every
/// operation's floors) ask for the same subset; shuffling all n indices each time would make
/// their cost grow with N. Thread-safe; keeps the last few subsets.
final class SeededSubsetCache: @unchecked Sendable {
    static let shared = SeededSubsetCache()
    private let lock = NSLock()
    private var entries: [(n: Int, limit: Int, seed: UInt64, indices: [Int])] = []

    func indices(_ n: Int, limit: Int, seed: UInt64) -> [Int] {
        guard n > limit else { return Array(0..<n) }
        lock.lock()
        defer { lock.unlock() }
        if let hit = entries.first(where: { $0.n == n && $0.limit == limit && $0.seed == seed }) { return hit.indices }
        var rng = SeededGenerator(seed: seed)
        let drawn = Self.ascending(rng.shuffledPrefix(of: n, count: limit), below: n)
        entries.append((n, limit, seed, drawn))
        if entries.count > 8 { entries.removeFirst() }
        return drawn
    }

    /// Distinct indices in 0..<n in ascending order (what `sorted()` returns), by marking them
    /// in an n-entry table and reading it once: O(n) instead of O(m log m) comparisons.
    static func ascending(_ distinct: [Int], below n: Int) -> [Int] {
        var marked = [Bool](repeating: false, count: n)
        for i in distinct { marked[i] = true }
        var out: [Int] = []
        out.reserveCapacity(distinct.count)
        marked.withUnsafeBufferPointer { m in
            for i in 0..<n where m[i] { out.append(i) }
        }
        return out
    }
}
