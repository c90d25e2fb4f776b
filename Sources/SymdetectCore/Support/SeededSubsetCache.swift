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
        let drawn = rng.sortedSubset(of: n, count: limit)
        entries.append((n, limit, seed, drawn))
        if entries.count > 8 { entries.removeFirst() }
        return drawn
    }

    /// The last subsample table built by `rows(of:limit:seed:)`, with the arrays it was drawn
    /// from. Holding them keeps their storage alive and shared, so any later change to a table
    /// that uses them copies first: the same storage address then means the same contents.
    private var lastRows: (features: [[Double]], labels: [Double], limit: Int, seed: UInt64, rows: SampleTable)?

    /// `table.rows(indices(table.count, limit:, seed:))`, built once for the same table (its very
    /// arrays, without gradients) and reused: several stages fit the same auxiliary subsample,
    /// and gathering it reads every column of a large table.
    func rows(of table: SampleTable, limit: Int, seed: UInt64) -> (table: SampleTable, indices: [Int]) {
        let chosen = indices(table.count, limit: limit, seed: seed)
        guard table.gradients == nil else { return (table.rows(chosen), chosen) }
        lock.lock()
        if let last = lastRows, last.limit == limit, last.seed == seed, last.rows.featureNames == table.featureNames,
           last.rows.labelName == table.labelName, Self.sameStorage(last.labels, table.labels),
           last.features.count == table.features.count,
           zip(last.features, table.features).allSatisfy({ Self.sameStorage($0, $1) }) {
            lock.unlock()
            return (last.rows, chosen)
        }
        lock.unlock()
        let rows = table.rows(chosen)
        lock.lock()
        lastRows = (table.features, table.labels, limit, seed, rows)
        lock.unlock()
        return (rows, chosen)
    }

    /// Drops the subsample table (and the hold on its source) once no stage will ask for it.
    func forgetRows() {
        lock.lock()
        lastRows = nil
        lock.unlock()
    }

    private static func sameStorage(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
    }
}
