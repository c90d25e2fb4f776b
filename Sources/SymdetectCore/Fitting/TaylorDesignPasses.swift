import Foundation

/// Streaming passes over the scaled Taylor design φ(vᵢ), vᵢ = (xᵢ − c)/s, for large fits.
///
/// The design is never held whole: rows are formed in column-major blocks (one multiply per
/// monomial and row, column a = column parent(a) ⊙ v_j, the same products as
/// `MonomialEvaluator`, so the entries are bit-identical to the row-by-row path) and handed to
/// level-3/level-2 BLAS. Memory is O(blockRows·p + stripes·p²) whatever N is.
///
/// Parallelism without non-determinism: the rows are cut into a fixed number of contiguous
/// stripes that depends only on N; each stripe is summed block by block in row order, and the
/// stripes' partial sums are added in stripe order. Which thread runs which stripe, and how many
/// threads exist, cannot change a single bit of the result.
struct TaylorDesignPasses {
    let table: SampleTable
    let labels: [Double]
    let center: [Double]
    let scale: [Double]
    /// Locality weights wᵢ (nil: all 1).
    let weights: [Double]?
    let exponents: [[Int]]
    private let parent: [Int]
    private let variable: [Int]
    let blockRows: Int
    let stripes: [Range<Int>]

    var parameterCount: Int { exponents.count }

    init(table: SampleTable, labels: [Double], center: [Double], scale: [Double], weights: [Double]?, exponents: [[Int]]) {
        self.table = table
        self.labels = labels
        self.center = center
        self.scale = scale
        self.weights = weights
        self.exponents = exponents
        let evaluator = MonomialEvaluator(exponents: exponents)
        parent = evaluator.parent
        variable = evaluator.variable
        let p = exponents.count
        // About 2 MB of design per block (plus as much scratch), at least 256 rows for BLAS-3
        // efficiency: memory stays small next to the table whatever p is.
        blockRows = max(256, min(4096, (1 << 18) / max(p, 1)))
        let n = table.count
        let count = max(1, min(Self.stripeLimit, (n + blockRows - 1) / blockRows))
        stripes = (0..<count).map { s in (s * n / count)..<((s + 1) * n / count) }
    }

    /// Stripes per pass; a constant so that the summation order never depends on the machine.
    static let stripeLimit = 8

    /// Fills the column-major block (leading dimension `blockRows`) with the design rows
    /// `rows`, multiplied by √wᵢ when `weighted`, and `rhs` with the matching (√wᵢ·)yᵢ.
    func fill(_ rows: Range<Int>, weighted: Bool, design: UnsafeMutablePointer<Double>, rhs: UnsafeMutablePointer<Double>,
              coordinates v: UnsafeMutablePointer<Double>) {
        let b = rows.count, ld = blockRows, d = center.count, p = parameterCount, first = rows.lowerBound
        for j in 0..<d {
            let c = center[j], s = scale[j]
            table.features[j].withUnsafeBufferPointer { col in
                // Plain indexed loops over contiguous memory (vectorised; the same divisions).
                let src = col.baseAddress! + first, dst = v + j * ld
                for r in 0..<b { dst[r] = (src[r] - c) / s }
            }
        }
        for r in 0..<b { design[r] = 1 }
        for a in 1..<max(p, 1) {
            let src = design + parent[a] * ld, dst = design + a * ld, u = v + variable[a] * ld
            for r in 0..<b { dst[r] = src[r] * u[r] }
        }
        labels.withUnsafeBufferPointer { yb in
            let y = yb.baseAddress! + first
            if weighted, let w = weights {
                w.withUnsafeBufferPointer { wb in
                    let w = wb.baseAddress! + first
                    // √wᵢ into the rhs buffer first, then the columns scaled one by one
                    // (contiguous memory), then √wᵢ·yᵢ in place: the same products as row by row.
                    for r in 0..<b { rhs[r] = w[r].squareRoot() }
                    for a in 0..<p {
                        let column = design + a * ld
                        for r in 0..<b { column[r] *= rhs[r] }
                    }
                    for r in 0..<b { rhs[r] = rhs[r] * y[r] }
                }
            } else {
                rhs.update(from: y, count: b)
            }
        }
    }

    /// Calls `body` with the locality weights of `rows` (element r is that of row
    /// rows.lowerBound + r), or nil when all weights are 1.
    private func withRowWeights<T>(_ rows: Range<Int>, _ body: (UnsafePointer<Double>?) -> T) -> T {
        guard let weights else { return body(nil) }
        return weights.withUnsafeBufferPointer { body($0.baseAddress! + rows.lowerBound) }
    }

    /// Runs `body` on every stripe (concurrently), each with its own block buffers, and returns
    /// the results in stripe order.
    private func perStripe<T>(_ body: (Range<Int>, Block) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: stripes.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: stripes.count) { s in
            let block = Block(rows: blockRows, columns: parameterCount, dimension: center.count)
            defer { block.deallocate() }
            results[s] = body(stripes[s], block)
        }
        return results.map { $0! }
    }

    /// Scratch buffers of one stripe.
    struct Block {
        let design: UnsafeMutablePointer<Double>
        let rhs: UnsafeMutablePointer<Double>
        let coordinates: UnsafeMutablePointer<Double>
        let work: UnsafeMutablePointer<Double>
        init(rows: Int, columns: Int, dimension: Int) {
            design = .allocate(capacity: rows * columns)
            rhs = .allocate(capacity: rows)
            coordinates = .allocate(capacity: rows * dimension)
            work = .allocate(capacity: rows * columns)
        }
        func deallocate() { design.deallocate(); rhs.deallocate(); coordinates.deallocate(); work.deallocate() }
    }

    /// Blocks of at most `blockRows` rows covering `stripe`.
    private func blocks(_ stripe: Range<Int>) -> [Range<Int>] {
        stride(from: stripe.lowerBound, to: stripe.upperBound, by: blockRows).map { $0..<min(stripe.upperBound, $0 + blockRows) }
    }

    /// The weighted normal equations: G = X̃ᵀX̃ (p×p, symmetric, row-major) and X̃ᵀỹ, with
    /// X̃ = W^½Φ and ỹ = W^½y.
    func normalEquations() -> (gram: Matrix, rhs: [Double]) {
        let p = parameterCount
        let parts = perStripe { stripe, block -> ([Double], [Double]) in
            var g = [Double](repeating: 0, count: p * p)
            var xty = [Double](repeating: 0, count: p)
            for rows in blocks(stripe) {
                fill(rows, weighted: true, design: block.design, rhs: block.rhs, coordinates: block.coordinates)
                g.withUnsafeMutableBufferPointer { BLASKernels.addGram(block.design, rows: rows.count, columns: p, lda: blockRows, into: $0.baseAddress!) }
                xty.withUnsafeMutableBufferPointer {
                    BLASKernels.addTransposedProduct(block.design, rows: rows.count, columns: p, lda: blockRows, block.rhs, into: $0.baseAddress!)
                }
            }
            return (g, xty)
        }
        var gram = Matrix(rows: p, columns: p)
        var rhs = [Double](repeating: 0, count: p)
        for (g, xty) in parts {
            // Column-major upper triangle: entry (i, j), i ≤ j, at i + j·p.
            for j in 0..<p { for i in 0...j { gram[i, j] += g[i + j * p] } }
            for a in 0..<p { rhs[a] += xty[a] }
        }
        for j in 0..<p { for i in 0..<j { gram[j, i] = gram[i, j] } }
        return (gram, rhs)
    }

    /// X̃ᵀ(ỹ − X̃β): the gradient that one step of iterative refinement solves against.
    func residualCorrelation(_ beta: [Double]) -> [Double] {
        let p = parameterCount
        let parts = perStripe { stripe, block -> [Double] in
            var out = [Double](repeating: 0, count: p)
            beta.withUnsafeBufferPointer { bb in
                out.withUnsafeMutableBufferPointer { ob in
                    for rows in blocks(stripe) {
                        fill(rows, weighted: true, design: block.design, rhs: block.rhs, coordinates: block.coordinates)
                        BLASKernels.product(block.design, rows: rows.count, columns: p, lda: blockRows, bb.baseAddress!, into: block.work)
                        for r in 0..<rows.count { block.work[r] = block.rhs[r] - block.work[r] }
                        BLASKernels.addTransposedProduct(block.design, rows: rows.count, columns: p, lda: blockRows, block.work, into: ob.baseAddress!)
                    }
                }
            }
            return out
        }
        var total = [Double](repeating: 0, count: p)
        for part in parts { for a in 0..<p { total[a] += part[a] } }
        return total
    }
    /// Sums over the rows of the final pass, in label units.
    struct Diagnostics {
        var sumW = 0.0, sumWY = 0.0, rss = 0.0, looSS = 0.0
        var looDefined = true
        /// Σ wᵢ(yᵢ − ȳ)² with ȳ = Σwy/Σw (the total sum of squares).
        var spread = WeightedSpread()
    }

    /// Σw, the weighted mean and Σ w(y − mean)² of a set of labels, merged across parts by
    /// Chan, Golub & LeVeque's pairwise update: for parts (W_a, m_a, S_a) and (W_b, m_b, S_b),
    /// W = W_a + W_b, m = m_a + (m_b − m_a)·W_b/W, S = S_a + S_b + (m_b − m_a)²·W_a·W_b/W.
    /// Each part's S is summed about its own mean, so no sum cancels (relative error a few ε,
    /// as the two-pass formula).
    struct WeightedSpread {
        var weight = 0.0, mean = 0.0, sumOfSquares = 0.0

        mutating func merge(_ other: WeightedSpread) {
            guard other.weight > 0 else { return }
            guard weight > 0 else { self = other; return }
            let total = weight + other.weight
            let delta = other.mean - mean
            mean += delta * (other.weight / total)
            sumOfSquares += other.sumOfSquares + delta * delta * (weight * other.weight / total)
            weight = total
        }
    }

    /// How the final pass obtains the hat diagonal hᵢᵢ = wᵢ·φ(vᵢ)ᵀ(X̃ᵀX̃)⁺φ(vᵢ).
    enum LeverageFactor {
        /// Full rank: R upper triangular (p×p) with RᵀR = X̃ᵀX̃, so (X̃ᵀX̃)⁻¹ = R⁻¹R⁻ᵀ and
        /// hᵢᵢ = wᵢ‖R⁻ᵀφ(vᵢ)‖², one triangular solve per row (p² flops; no equilibration needed:
        /// a triangular solve's backward error is componentwise, whatever the column scales).
        case triangular(Matrix)
        /// Any rank: P = Σ⁺VᵀD⁻¹ (rank × p) with PᵀP = (X̃ᵀX̃)⁺, hᵢᵢ = wᵢ‖Pφ(vᵢ)‖² (2·p·rank flops).
        case projector(Matrix)
    }

    /// Weighted sums of the residuals rᵢ = yᵢ − φ(vᵢ)ᵀβ and leave-one-out residuals rᵢ/(1 − hᵢᵢ)
    /// (hᵢᵢ from `leverage`; without one, no leave-one-out sum: `looSS` stays 0), and the labels'
    /// total sum of squares. Nothing per row is kept.
    func finalPass(beta: [Double], leverage: LeverageFactor?) -> Diagnostics {
        let p = parameterCount
        precondition(beta.count == p)
        // Column-major factor for BLAS: row-major R (p × p), or row-major P (rank × p), which
        // read column-major is Pᵀ (p × rank, leading dimension p).
        let factor: Matrix
        let rank: Int
        switch leverage {
        case .triangular(let r)?:
            precondition(r.rows == p && r.columns == p)
            (factor, rank) = (r, p)
        case .projector(let pm)?:
            precondition(pm.columns == p)
            (factor, rank) = (pm, pm.rows)
        case nil:
            (factor, rank) = (Matrix(rows: 0, columns: 0), 0)
        }
        let withLeverage = leverage != nil
        let triangular = if case .triangular? = leverage { true } else { false }
        let parts: [Diagnostics] = perStripe { stripe, block -> Diagnostics in
            var out = Diagnostics()
            let fitted = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
            let norms = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
            defer { fitted.deallocate(); norms.deallocate() }
            beta.withUnsafeBufferPointer { bb in
                factor.storage.withUnsafeBufferPointer { fb in
                    for rows in blocks(stripe) {
                        let b = rows.count
                        fill(rows, weighted: false, design: block.design, rhs: block.rhs, coordinates: block.coordinates)
                        BLASKernels.product(block.design, rows: b, columns: p, lda: blockRows, bb.baseAddress!, into: fitted)
                        // z = R⁻ᵀφ (in place: the design is not needed again) or Pφ, rows of a
                        // column-major block; ‖z‖² summed over k in ascending order, a column at a
                        // time (contiguous, vectorised).
                        norms.update(repeating: 0, count: b)
                        if withLeverage {
                            let z: UnsafeMutablePointer<Double>, ldz: Int
                            if triangular {
                                BLASKernels.multiplyByInverseOfUpper(fb.baseAddress!, columns: p, block.design, rows: b, ldb: blockRows)
                                (z, ldz) = (block.design, blockRows)
                            } else {
                                BLASKernels.product(block.design, rows: b, columns: p, lda: blockRows, fb.baseAddress!, columns: rank, into: block.work)
                                (z, ldz) = (block.work, b)
                            }
                            for k in 0..<rank {
                                let column = z + k * ldz
                                for r in 0..<b { let s = column[r]; norms[r] += s * s }
                            }
                        }
                        var part = WeightedSpread()
                        withRowWeights(rows) { weight in
                            for r in 0..<b {
                                let w = weight?[r] ?? 1
                                let h = norms[r] * w
                                let y = block.rhs[r]
                                let e = y - fitted[r]
                                out.sumW += w; out.sumWY += w * y; out.rss += w * e * e
                                part.weight += w; part.mean += w * y
                                guard withLeverage else { continue }
                                if h < 1 - 1e-9 { let l = e / (1 - h); out.looSS += w * l * l } else { out.looDefined = false }
                            }
                            if part.weight > 0 {
                                part.mean /= part.weight
                                for r in 0..<b {
                                    let w = weight?[r] ?? 1
                                    let u = block.rhs[r] - part.mean
                                    part.sumOfSquares += w * u * u
                                }
                            }
                        }
                        out.spread.merge(part)
                    }
                }
            }
            return out
        }
        var total = Diagnostics()
        for part in parts {
            total.sumW += part.sumW; total.sumWY += part.sumWY; total.rss += part.rss; total.looSS += part.looSS
            total.looDefined = total.looDefined && part.looDefined
            total.spread.merge(part.spread)
        }
        return total
    }
}
