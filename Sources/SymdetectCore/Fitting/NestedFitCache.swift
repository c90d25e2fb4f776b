import Foundation

/// One accumulation for nested Taylor models.
///
/// The graded monomial basis lists every monomial of order ≤ k before those of order k + 1, and
/// the coordinate scaling depends only on the centre, so for the same rows, labels, centre and
/// weights the order-k normal equations X̃ᵀX̃, X̃ᵀỹ are the leading blocks of the order-(k + 2)
/// ones. An analysis fits the same (sub)sample at several orders — the adequacy F test (k, k + 1),
/// the floors' proxy (k + 2), the centre refinement's misfit check (k, k + 1) — so the Gram matrix
/// is accumulated once, at the highest order asked for, and every lower order takes its block;
/// a fit asked for twice is returned from here instead of being refitted.
///
/// Only designs on the semi-normal path (large N·p²) are kept, and only fits of at most
/// `fitRowLimit` rows (the subsample fits an analysis repeats; a look-up hashes every row).
/// Entries are compared by value
/// (sizes, centre, radius and hashes of the data), so callers need not share anything but the data;
/// a fit computes its key once (hashing every row) for all its look-ups.
final class NestedFitCache: @unchecked Sendable {
    static let shared = NestedFitCache()
    static let fitRowLimit = 200_000
    private static let capacity = 3

    /// The data an entry was computed from, by value: sizes, centre and radius, and two
    /// independent 64-bit hashes of every coordinate and label bit pattern (so the cache holds
    /// no copy of the data; a false match would need both hashes to collide).
    struct Key: Equatable {
        let rows: Int
        let dimension: Int
        let center: [Double]
        let radius: Double?
        let hashA: UInt64
        let hashB: UInt64

        init(_ table: SampleTable, _ labels: [Double], _ center: [Double], _ radius: Double?) {
            rows = table.count
            dimension = table.dimension
            self.center = center
            self.radius = radius
            // FNV-1a over 64-bit words, and a multiply–xorshift mix with a different constant.
            var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x9E37_79B9_7F4A_7C15
            func mix(_ values: [Double]) {
                values.withUnsafeBufferPointer { buffer in
                    for v in buffer {
                        let bits = v.bitPattern
                        a = (a ^ bits) &* 0x0000_0100_0000_01b3
                        b = (b ^ (bits &+ 0x632B_E59B_D9B4_E019)) &* 0xBF58_476D_1CE4_E5B9
                        b ^= b >> 29
                    }
                }
            }
            for column in table.features { mix(column) }
            mix(labels)
            hashA = a
            hashB = b
        }
    }

    private let lock = NSLock()
    private var grams: [(key: Key, order: Int, gram: Matrix, rhs: [Double])] = []
    private var fits: [(key: Key, fit: TaylorFit)] = []

    /// The order-`order` normal equations (p×p and p) from a stored accumulation of at least that
    /// order on the same data, or nil.
    func normalEquations(_ key: Key, order: Int) -> (gram: Matrix, rhs: [Double])? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = grams.first(where: { $0.order >= order && $0.key == key }) else { return nil }
        let p = MultiIndex.count(dimension: key.dimension, order: order)
        var g = Matrix(rows: p, columns: p)
        for i in 0..<p { for j in 0..<p { g[i, j] = hit.gram[i, j] } }
        return (g, Array(hit.rhs.prefix(p)))
    }

    func storeNormalEquations(_ key: Key, order: Int, gram: Matrix, rhs: [Double]) {
        lock.lock()
        defer { lock.unlock() }
        if grams.contains(where: { $0.order >= order && $0.key == key }) { return }
        grams.removeAll { $0.order < order && $0.key == key }
        grams.append((key, order, gram, rhs))
        if grams.count > Self.capacity { grams.removeFirst() }
    }

    /// Forgets everything (tests compare cached and uncached paths).
    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        grams.removeAll()
        fits.removeAll()
    }

    func fit(_ key: Key, order: Int) -> TaylorFit? {
        guard key.rows <= Self.fitRowLimit else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return fits.first { $0.fit.order == order && $0.key == key }?.fit
    }

    /// Stores `fit`, computed on the data of `key` (whose centre is the fit's).
    func store(_ fit: TaylorFit, _ key: Key) {
        guard key.rows <= Self.fitRowLimit else { return }
        lock.lock()
        defer { lock.unlock() }
        fits.append((key, fit))
        if fits.count > Self.capacity { fits.removeFirst() }
    }
}

extension TaylorFitter {
    /// Accumulates (once) the normal equations of order `order` on these data for the
    /// semi-normal path, so that later fits of that order or lower on the same data start from
    /// their leading blocks. Does nothing for designs small enough for the extended-precision
    /// path, or when the data cannot support the order.
    public static func prepareNestedFits(_ table: SampleTable, labels: [Double]? = nil, center: [Double], upToOrder order: Int,
                                         radius: Double? = nil) {
        let y = labels ?? table.labels
        let d = table.dimension, n = table.count
        guard (1...maximumOrder).contains(order), center.count == d else { return }
        let exponents = MultiIndex.all(dimension: d, order: order)
        let p = exponents.count
        guard n >= p + 2, n * p * p > ExtendedPrecisionLeastSquares.workLimit,
              case let key = NestedFitCache.Key(table, y, center, radius),
              NestedFitCache.shared.normalEquations(key, order: order) == nil else { return }
        let weights: [Double]?
        do { weights = try locality(table, center: center, radius: radius) } catch { return }
        let passes = TaylorDesignPasses(table: table, labels: y, center: center, scale: coordinateScale(table, center),
                                        weights: weights, exponents: exponents)
        let (gram, rhs) = passes.normalEquations()
        NestedFitCache.shared.storeNormalEquations(key, order: order, gram: gram, rhs: rhs)
    }
}
