import Foundation

/// The data, neighbour index and leave-one-out predictions shared by every operation's mirror
/// test. Built once per analysis.
///
/// Coordinates are scaled by their standard deviations for neighbour search. At most
/// `maxReference` samples (a seeded subset) form the neighbour index and at most `maxTested`
/// samples are tested, so the cost is bounded for very large files.
public struct MirrorContext: Sendable {
    public static let maxReference = 200_000
    public static let maxTested = 4_000

    let table: SampleTable
    let center: [Double]
    let transform: LabelTransform
    let scale: [Double]
    let predictor: LocalPolynomialPredictor
    /// Reference samples (indices into the table) and their scaled coordinates / transformed labels.
    let reference: [Int]
    let referencePoints: [Double]
    let referenceLabels: [Double]
    let tree: KDTree
    /// The reference points and their labels in tree order (see `KDTree.packedPoints`): the
    /// neighbours of a query sit close together there, which keeps the local fits in cache.
    let packedPoints: [Double]
    let packedLabels: [Double]
    /// Tested samples: table index, coordinates (row-major), label, position in the reference
    /// set (or −1), LOO prediction.
    let tested: [Int]
    let testedPoints: [Double]
    let testedLabels: [Double]
    let testedReferencePosition: [Int]
    let loo: [Query?]

    struct Query: Sendable {
        let prediction: Double
        let varianceFactor: Double
        let radius: Double
    }

    /// The part of the context that depends on the coordinates alone (not on the centre or the
    /// label scale): the coordinate scales, the seeded reference and tested subsets and the
    /// k-d tree. An analysis builds it while the Taylor model is being fitted.
    public struct NeighbourIndex: Sendable {
        let scale: [Double]
        let reference: [Int]
        let referencePoints: [Double]
        let tree: KDTree
        let packedPoints: [Double]
        let tested: [Int]
        let testedReferencePosition: [Int]
        /// The tested samples' coordinates (user units, row-major): gathered once, as every
        /// operation reads them (scattered rows of a large table are a cache miss each).
        let testedPoints: [Double]

        public init(table: SampleTable, seed: UInt64 = 0x6D17_7021) {
            let d = table.dimension
            scale = table.features.map { col in
                // Sequential sums, as reduce(0, +) would do them, without an N-element temporary.
                var total = 0.0
                for v in col { total += v }
                let m = total / Double(col.count)
                var squares = 0.0
                for v in col { squares += (v - m) * (v - m) }
                let sd = (squares / Double(col.count)).squareRoot()
                return sd > 0 ? sd : 1
            }
            var rng = SeededGenerator(seed: seed)
            func subset(_ n: Int, _ cap: Int) -> [Int] {
                guard n > cap else { return Array(0..<n) }
                return rng.sortedSubset(of: n, count: cap)
            }
            let reference = subset(table.count, MirrorContext.maxReference)
            self.reference = reference
            var pts = [Double](repeating: 0, count: reference.count * d)
            for (r, i) in reference.enumerated() { for j in 0..<d { pts[r * d + j] = table.features[j][i] / scale[j] } }
            referencePoints = pts
            tree = KDTree(points: pts, dimension: d)
            packedPoints = tree.packedPoints()
            let tested = subset(table.count, MirrorContext.maxTested)
            self.tested = tested
            var testedPoints = [Double](repeating: 0, count: tested.count * d)
            for (t, i) in tested.enumerated() { for j in 0..<d { testedPoints[t * d + j] = table.features[j][i] } }
            self.testedPoints = testedPoints
            // Position of each tested sample in the (sorted) reference list, or −1.
            testedReferencePosition = tested.map { i -> Int in
                var lo = 0, hi = reference.count
                while lo < hi { let mid = (lo + hi) / 2; if reference[mid] < i { lo = mid + 1 } else { hi = mid } }
                return lo < reference.count && reference[lo] == i ? lo : -1
            }
        }
    }

    public init(table: SampleTable, center: [Double], transform: LabelTransform, seed: UInt64 = 0x6D17_7021) {
        self.init(table: table, center: center, transform: transform, index: NeighbourIndex(table: table, seed: seed))
    }

    /// `index` must have been built from this table.
    public init(table: SampleTable, center: [Double], transform: LabelTransform, index: NeighbourIndex) {
        self.table = table
        self.center = center
        self.transform = transform
        let d = table.dimension
        scale = index.scale
        predictor = LocalPolynomialPredictor(dimension: d)
        reference = index.reference
        referencePoints = index.referencePoints
        let refLabels = index.reference.map { transform.apply(table.labels[$0]) }
        referenceLabels = refLabels
        let tree = index.tree
        self.tree = tree
        let packed = index.packedPoints
        packedPoints = packed
        let packedRefLabels = tree.packedValues(refLabels)
        packedLabels = packedRefLabels
        let tested = index.tested
        self.tested = tested
        let testedPoints = index.testedPoints
        self.testedPoints = testedPoints
        testedLabels = tested.map { table.labels[$0] }
        let positions = index.testedReferencePosition
        testedReferencePosition = positions
        let predictor = self.predictor
        let scale = self.scale
        var looQueries: [Query?] = []
        looQueries.reserveCapacity(tested.count)
        let k = predictor.neighbourCount
        var looPoints = [Double](repeating: 0, count: tested.count * d)
        for t in tested.indices { for j in 0..<d { looPoints[t * d + j] = testedPoints[t * d + j] / scale[j] } }
        // Independent queries, answered concurrently in contiguous runs of the spatial order;
        // each answer goes to its own slot, so the result does not depend on scheduling.
        let spatial = Self.spatialOrder(looPoints, dimension: d, present: [Bool](repeating: true, count: tested.count))
        let answers = UnsafeMutableBufferPointer<Query?>.allocate(capacity: tested.count)
        answers.initialize(repeating: nil)
        defer { answers.deallocate() }
        let runs = max(1, min(8, tested.count / 256))
        DispatchQueue.concurrentPerform(iterations: runs) { r in
            let scratch = QueryScratch(k: k, dimension: d, predictor: predictor)
            defer { scratch.deallocate() }
            packed.withUnsafeBufferPointer { points in
            packedRefLabels.withUnsafeBufferPointer { labels in
            looPoints.withUnsafeBufferPointer { queries in
                for s in (r * spatial.count / runs)..<((r + 1) * spatial.count / runs) {
                    let t = spatial[s]
                    answers[t] = Self.query(queries.baseAddress! + t * d, excluding: positions[t], k: k, tree: tree, points: points,
                                            labels: labels, predictor: predictor, referenceRadius: nil, scratch: scratch)
                }
            }}}
        }
        looQueries = Array(answers)
        loo = looQueries
    }

    /// Positions 0..<n of the points (row-major, `dimension` values each; those not `present`
    /// last) sorted by the cell of a 32×…×32 grid over the bounding box of the present ones,
    /// cells in lexicographic order, ties by position: an order in which successive neighbour
    /// queries stay close in space.
    static func spatialOrder(_ points: [Double], dimension d: Int, present: [Bool]) -> [Int] {
        let n = present.count
        guard d > 0, present.contains(true) else { return Array(0..<n) }
        var lo = [Double](repeating: .infinity, count: d), hi = [Double](repeating: -.infinity, count: d)
        for t in 0..<n where present[t] { for j in 0..<d { lo[j] = min(lo[j], points[t * d + j]); hi[j] = max(hi[j], points[t * d + j]) } }
        // Cell key Σ_j cell_j·32^(d−1−j) (wrapping, as a key only orders); absent points get Int.max.
        var keys = [Int](repeating: Int.max, count: n)
        for t in 0..<n where present[t] {
            var key = 0
            for j in 0..<d {
                let width = hi[j] - lo[j]
                let cell = width > 0 ? min(31, max(0, Int((points[t * d + j] - lo[j]) / width * 32))) : 0
                key = key &* 32 &+ cell
            }
            keys[t] = key
        }
        // (key, position) packed into one integer, key·n + position, with the absent points' key
        // 32^d (above every cell's): sorting those plain integers is the sort by (key, position).
        // Needs (32^d + 1)·n < 2^62; otherwise the keys are sorted by comparison.
        let bits = 5 * d
        guard bits <= 50, n < 1 << (61 - bits) else { return (0..<n).sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) } }
        let absent = 1 << bits
        var packed = [Int](repeating: 0, count: n)
        for t in 0..<n { packed[t] = (present[t] ? keys[t] : absent) * n + t }
        packed.sort()
        for s in 0..<n { packed[s] %= n }
        return packed
    }

    /// A local prediction at q, or nil when q is not inside the data: the neighbourhood must be
    /// no wider than twice `referenceRadius` (when given) and its centroid within half a radius
    /// of q (otherwise the fit would extrapolate).
    /// `points` and `labels` are the tree-ordered (packed) reference coordinates and labels.
    static func query(_ q: UnsafePointer<Double>, excluding: Int, k: Int, tree: KDTree, points: UnsafeBufferPointer<Double>,
                      labels: UnsafeBufferPointer<Double>, predictor: LocalPolynomialPredictor, referenceRadius: Double?,
                      scratch: QueryScratch) -> Query? {
        let d = tree.dimension
        // Images whose neighbourhood would be too wide are refused below anyway: the search
        // need not look beyond that width.
        let reach = referenceRadius.map { 4 * $0 * $0 } ?? .infinity
        let nb = scratch.neighbours
        guard k > 0, tree.nearestNeighbours(q, k: k, excluding: excluding, within: reach, packed: points, into: nb) == k else { return nil }
        let radius = nb.distances[k - 1].squareRoot()
        guard radius > 0 else { return nil }
        if let referenceRadius, radius > 2 * referenceRadius { return nil }
        let centroid = scratch.centroid
        // c_j = Σ_n x_nj / k over n = 0, 1, … from 0: one coordinate at a time, its sum in a register.
        for j in 0..<d {
            var sum = 0.0
            for n in 0..<k { sum += points[nb.positions[n] * d + j] / Double(k) }
            centroid[j] = sum
        }
        var squares = 0.0
        for j in 0..<d { squares += (centroid[j] - q[j]) * (centroid[j] - q[j]) }
        guard squares.squareRoot() <= 0.5 * radius else { return nil }
        guard let p = predictor.predict(at: q, neighbours: nb.positions, count: k, points: points, labels: labels, radius: radius,
                                        scratch: scratch.predictor) else { return nil }
        return Query(prediction: p.value, varianceFactor: p.varianceFactor, radius: radius)
    }

    /// The buffers one thread's queries reuse.
    struct QueryScratch {
        let neighbours: NeighbourBuffer
        let centroid: UnsafeMutablePointer<Double>
        let predictor: UnsafeMutablePointer<Double>

        init(k: Int, dimension: Int, predictor model: LocalPolynomialPredictor) {
            neighbours = NeighbourBuffer(capacity: max(k, 1))
            centroid = .allocate(capacity: dimension)
            predictor = .allocate(capacity: model.scratchCount)
        }

        func deallocate() { neighbours.deallocate(); centroid.deallocate(); predictor.deallocate() }
    }

    /// RMS of the standardized leave-one-out residuals (transformed scale): an estimate of the
    /// label noise plus local misfit that does not depend on the global Taylor model.
    public var localNoise: Double? {
        var s = 0.0, n = 0
        for t in tested.indices {
            guard let l = loo[t] else { continue }
            let r = (transform.apply(testedLabels[t]) - l.prediction) / (1 + l.varianceFactor).squareRoot()
            s += r * r; n += 1
        }
        return n > 0 ? (s / Double(n)).squareRoot() : nil
    }
}

/// One tested sample and its mirror image.
public struct MirrorPair: Sendable {
    public let sample: Int
    /// Label yᵢ and the local prediction ŷ(g·xᵢ), both in label units.
    public let label: Double
    public let imagePrediction: Double
    /// Leave-one-out prediction ŷ₋ᵢ(xᵢ), label units.
    public let looPrediction: Double
    /// Standardized residuals on the transformed scale: (zᵢ − ẑ)/√(1 + v).
    public let mirrorResidual: Double
    public let looResidual: Double
}

/// The *mirror test* (model-free): compares, sample by sample, the residual of predicting yᵢ
/// from the neighbours of its image g·xᵢ with the ordinary leave-one-out residual at xᵢ.
///
/// Under an exact symmetry both are local-interpolation error plus noise, so
/// P(|mirror| > |loo|) = ½; breaking makes the mirror residual larger. The one-sided sign test
/// uses a variance inflated by 2 because an involution pairs samples (i's image lies near j
/// and j's near i), halving the independent comparisons.
/// The breaking magnitude, RMS(y(x) − y(g·x)) in label units, is estimated as
/// sqrt(max(0, mean m² − mean l²)) from the unstandardized residuals.
public struct MirrorTest: Sendable {
    public let tested: Int
    public let pairs: [MirrorPair]
    /// xᵢ and g·xᵢ (user coordinates) of every pair, row-major (pair after pair), and the
    /// position of xᵢ among the context's tested samples.
    let samplePoints: [Double]
    let imagePoints: [Double]
    let testedPositions: [Int]
    public var usable: Int { pairs.count }
    public var coverage: Double { tested > 0 ? Double(pairs.count) / Double(tested) : 0 }
    public let pValue: Double?
    /// Fraction of pairs where the mirror residual is the larger.
    public let exceedFraction: Double?
    /// RMS(y(x) − y(g·x)) estimate in label units.
    public let breakingRMS: Double?
    /// RMS of the leave-one-out residuals yᵢ − ŷ₋ᵢ(xᵢ) of the usable pairs, label units: the
    /// local interpolation error plus noise the test must see a breaking through.
    public let looRMS: Double?

    public static let minimumPairs = 20

    /// The smallest breaking RMS(z(x) − z(g·x)) the sign test can resolve, on the tested scale
    /// z (the label, or log y).
    ///
    /// With mirror residuals m = l′ + b (l′ distributed as the leave-one-out residual l, of RMS σ,
    /// and b the breaking, of RMS β), Gaussian residuals give P(|m| > |l|) ≈ ½ + β²/(2πσ²) for
    /// β ≪ σ. The sign test over n pairs (variance inflated by 2) resolves an excess of
    /// z·√2/(2√n), so β_min = σ·(√2·π·z)^½·n^(−¼) with z = `resolutionZ` (one-sided 1 %,
    /// about the level a Holm-adjusted α demands across a few operations). A test that cannot
    /// resolve the breaking that matters says nothing about exactness: its silence is no evidence.
    public var resolvableBreakingRMS: Double? {
        guard usable >= Self.minimumPairs else { return nil }
        let sigma = (pairs.map { $0.looResidual * $0.looResidual }.reduce(0, +) / Double(usable)).squareRoot()
        return sigma * (2.0.squareRoot() * .pi * Self.resolutionZ).squareRoot() * pow(Double(usable), -0.25)
    }

    public static let resolutionZ = 2.33

    public init(context: MirrorContext, operation: SymmetryOperation) {
        let d = context.table.dimension
        let k = context.predictor.neighbourCount
        var pairs: [MirrorPair] = []
        let matrices = operation.matrices
        // Images first, then the neighbour queries in grid-cell order (neighbouring queries
        // touch the same tree nodes and leaves: the search is bound by memory, not arithmetic),
        // then the pairs in sample order. Each query is independent, so the order changes no result.
        let count = context.tested.count
        var images = [Double](repeating: 0, count: count * d)
        var queries = [Double](repeating: 0, count: count * d)
        var hasImage = [Bool](repeating: false, count: count)
        let center = context.center, scale = context.scale
        let storages = matrices.map { $0.storage }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { u in
            for t in context.tested.indices where context.loo[t] != nil {
                let g = storages[t % storages.count]
                for j in 0..<d { u[j] = context.testedPoints[t * d + j] - center[j] }
                // g·xᵢ = c + G(xᵢ − c), the product summed as `Matrix * [Double]` does.
                for r in 0..<d {
                    var gu = 0.0
                    for j in 0..<d { gu += g[r * d + j] * u[j] }
                    images[t * d + r] = center[r] + gu
                    queries[t * d + r] = images[t * d + r] / scale[r]
                }
                hasImage[t] = true
            }
        }
        var answers = [MirrorContext.Query?](repeating: nil, count: count)
        let scratch = MirrorContext.QueryScratch(k: k, dimension: d, predictor: context.predictor)
        defer { scratch.deallocate() }
        let spatial = MirrorContext.spatialOrder(queries, dimension: d, present: hasImage)
        context.packedPoints.withUnsafeBufferPointer { points in
        context.packedLabels.withUnsafeBufferPointer { labels in
        queries.withUnsafeBufferPointer { queries in
            for t in spatial {
                guard let loo = context.loo[t], hasImage[t] else { continue }
                // The sample itself is excluded: its own label must not predict its image.
                answers[t] = MirrorContext.query(queries.baseAddress! + t * d, excluding: context.testedReferencePosition[t], k: k,
                                                 tree: context.tree, points: points, labels: labels, predictor: context.predictor,
                                                 referenceRadius: loo.radius, scratch: scratch)
            }
        }}}
        var samplePoints: [Double] = [], imagePoints: [Double] = [], testedPositions: [Int] = []
        for (t, i) in context.tested.enumerated() {
            guard let loo = context.loo[t], hasImage[t], let m = answers[t] else { continue }
            samplePoints.append(contentsOf: context.testedPoints[(t * d)..<((t + 1) * d)])
            imagePoints.append(contentsOf: images[(t * d)..<((t + 1) * d)])
            testedPositions.append(t)
            let y = context.testedLabels[t]
            let z = context.transform.apply(y)
            pairs.append(MirrorPair(
                sample: i, label: y,
                imagePrediction: context.transform.invert(m.prediction),
                looPrediction: context.transform.invert(loo.prediction),
                mirrorResidual: (z - m.prediction) / (1 + m.varianceFactor).squareRoot(),
                looResidual: (z - loo.prediction) / (1 + loo.varianceFactor).squareRoot()))
        }
        self.tested = context.tested.count
        self.pairs = pairs
        self.samplePoints = samplePoints
        self.imagePoints = imagePoints
        self.testedPositions = testedPositions
        guard pairs.count >= Self.minimumPairs else {
            pValue = nil; exceedFraction = nil; breakingRMS = nil; looRMS = nil
            return
        }
        let exceed = pairs.filter { abs($0.mirrorResidual) > abs($0.looResidual) }.count
        let ties = pairs.filter { abs($0.mirrorResidual) == abs($0.looResidual) }.count
        let n = Double(pairs.count - ties)
        exceedFraction = Double(exceed) / Double(pairs.count)
        if n > 0 {
            let zScore = (Double(exceed) - n / 2 - 0.5) / (n / 2).squareRoot()
            pValue = Distributions.normalUpperTail(zScore)
        } else {
            pValue = 1
        }
        var m2 = 0.0, l2 = 0.0
        for p in pairs {
            m2 += (p.label - p.imagePrediction) * (p.label - p.imagePrediction)
            l2 += (p.label - p.looPrediction) * (p.label - p.looPrediction)
        }
        breakingRMS = (max(0, m2 - l2) / Double(pairs.count)).squareRoot()
        looRMS = (l2 / Double(pairs.count)).squareRoot()
    }
}
