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
            var hash = LaneHash()
            for column in table.features { column.withUnsafeBufferPointer { hash.absorb($0) } }
            labels.withUnsafeBufferPointer { hash.absorb($0) }
            (hashA, hashB) = hash.digest
        }
    }

    /// Two independent 64-bit hashes of a stream of doubles' bit patterns: per lane, FNV-1a over
    /// 64-bit words (a) and a multiply–xorshift mix with another constant (b). Value k of the
    /// stream goes to lane k mod 4, so consecutive multiplies do not wait on each other; the
    /// lanes are folded at the end.
    struct LaneHash {
        private var a: (UInt64, UInt64, UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4, 0x1b87_3593_cc9e_2d51, 0x85eb_ca6b_c2b2_ae35)
        private var b: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0x7F4A_7C15_9E37_79B9, 0xc2b2_ae3d_27d4_eb4f, 0x1656_67b1_9e37_79f9)
        private var count = 0

        @inline(__always)
        private static func step(_ a: inout UInt64, _ b: inout UInt64, _ bits: UInt64) {
            a = (a ^ bits) &* 0x0000_0100_0000_01b3
            b = (b ^ (bits &+ 0x632B_E59B_D9B4_E019)) &* 0xBF58_476D_1CE4_E5B9
            b ^= b >> 29
        }

        private mutating func absorbOne(_ bits: UInt64) {
            switch count & 3 {
            case 0: Self.step(&a.0, &b.0, bits)
            case 1: Self.step(&a.1, &b.1, bits)
            case 2: Self.step(&a.2, &b.2, bits)
            default: Self.step(&a.3, &b.3, bits)
            }
            count += 1
        }

        mutating func absorb(_ values: UnsafeBufferPointer<Double>) {
            var i = 0
            let n = values.count
            while count & 3 != 0, i < n { absorbOne(values[i].bitPattern); i += 1 }
            var (a0, a1, a2, a3) = a, (b0, b1, b2, b3) = b
            while i + 4 <= n {
                Self.step(&a0, &b0, values[i].bitPattern)
                Self.step(&a1, &b1, values[i + 1].bitPattern)
                Self.step(&a2, &b2, values[i + 2].bitPattern)
                Self.step(&a3, &b3, values[i + 3].bitPattern)
                i += 4
                count += 4
            }
            a = (a0, a1, a2, a3)
            b = (b0, b1, b2, b3)
            while i < n { absorbOne(values[i].bitPattern); i += 1 }
        }

        var digest: (UInt64, UInt64) {
            var fa = a.0, fb = b.0
            for (x, y) in [(a.1, b.1), (a.2, b.2), (a.3, b.3)] { Self.step(&fa, &fb, x); Self.step(&fb, &fa, y) }
            return (fa, fb)
        }
    }

    private let lock = NSLock()
    private var grams: [(key: Key, order: Int, gram: Matrix, rhs: [Double])] = []
    /// Fits with whether their leave-one-out error was computed.
    private var fits: [(key: Key, fit: TaylorFit, leaveOneOut: Bool)] = []

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

    /// A stored fit of this order on these data; one asked for with its leave-one-out error only
    /// if that was computed.
    func fit(_ key: Key, order: Int, leaveOneOut: Bool = true) -> TaylorFit? {
        guard key.rows <= Self.fitRowLimit else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return fits.first { $0.fit.order == order && $0.key == key && ($0.leaveOneOut || !leaveOneOut) }?.fit
    }

    /// Stores `fit`, computed on the data of `key` (whose centre is the fit's), with its
    /// leave-one-out error or without (`leaveOneOut`); replaces one without by one with.
    func store(_ fit: TaylorFit, _ key: Key, leaveOneOut: Bool = true) {
        guard key.rows <= Self.fitRowLimit else { return }
        lock.lock()
        defer { lock.unlock() }
        fits.removeAll { $0.fit.order == fit.order && $0.key == key && !$0.leaveOneOut && leaveOneOut }
        fits.append((key, fit, leaveOneOut))
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
