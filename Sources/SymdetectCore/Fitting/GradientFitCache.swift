import Foundation

/// The last few gradient-enhanced fits, so that an analysis asking for the same model twice (the
/// misfit test of the centre refinement and of the model adequacy, the floors' higher-order
/// proxy: the same order-(k+1) model at the same weight) fits it once. Entries match on the
/// whole table by value (coordinates, labels, gradients and their weight), centre, order and
/// radius; the table is held by reference (copy-on-write), not copied.
final class GradientFitCache: @unchecked Sendable {
    static let shared = GradientFitCache()
    private static let capacity = 4
    private let lock = NSLock()
    private var entries: [(table: SampleTable, center: [Double], order: Int, radius: Double?, fit: TaylorFit)] = []

    func fit(_ table: SampleTable, center: [Double], order: Int, radius: Double?) -> TaylorFit? {
        lock.lock(); defer { lock.unlock() }
        return entries.first { $0.order == order && $0.center == center && $0.radius == radius && $0.table == table }?.fit
    }

    func store(_ fit: TaylorFit, _ table: SampleTable, center: [Double], radius: Double?) {
        lock.lock(); defer { lock.unlock() }
        entries.append((table, center, fit.order, radius, fit))
        if entries.count > Self.capacity { entries.removeFirst() }
    }
}
