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
        let b = rows.count, ld = blockRows, d = center.count, p = parameterCount
        for j in 0..<d {
            let c = center[j], s = scale[j]
            table.features[j].withUnsafeBufferPointer { col in
                for (r, i) in rows.enumerated() { v[j * ld + r] = (col[i] - c) / s }
            }
        }
        for r in 0..<b { design[r] = 1 }
        for a in 1..<max(p, 1) {
            let src = design + parent[a] * ld, dst = design + a * ld, u = v + variable[a] * ld
            for r in 0..<b { dst[r] = src[r] * u[r] }
        }
        labels.withUnsafeBufferPointer { y in
            if weighted, let w = weights {
                w.withUnsafeBufferPointer { w in
                    // √wᵢ into the rhs buffer first, then the columns scaled one by one
                    // (contiguous memory), then √wᵢ·yᵢ in place: the same products as row by row.
                    for (r, i) in rows.enumerated() { rhs[r] = w[i].squareRoot() }
                    for a in 0..<p {
                        let column = design + a * ld
                        for r in 0..<b { column[r] *= rhs[r] }
                    }
                    for (r, i) in rows.enumerated() { rhs[r] = rhs[r] * y[i] }
                }
            } else {
                for (r, i) in rows.enumerated() { rhs[r] = y[i] }
            }
        }
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
    }

    /// Residuals rᵢ = yᵢ − φ(vᵢ)ᵀβ, leverages hᵢᵢ = wᵢ‖Pφ(vᵢ)‖² (P = `projector`, rank × p
    /// row-major) and the weighted sums of the fit's diagnostics.
    func finalPass(beta: [Double], projector: Matrix, residuals: inout [Double], leverages: inout [Double]) -> Diagnostics {
        let p = parameterCount, rank = projector.rows
        precondition(projector.columns == p && beta.count == p)
        let n = table.count
        residuals = [Double](repeating: 0, count: n)
        leverages = [Double](repeating: 0, count: n)
        // P row-major (rank × p) is Pᵀ column-major (p × rank, leading dimension p).
        let pt = projector.storage
        let parts: [Diagnostics] = residuals.withUnsafeMutableBufferPointer { res in
            leverages.withUnsafeMutableBufferPointer { lev in
                let resBase = res.baseAddress!, levBase = lev.baseAddress!
                return perStripe { stripe, block -> Diagnostics in
                    var out = Diagnostics()
                    let fitted = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
                    let norms = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
                    defer { fitted.deallocate(); norms.deallocate() }
                    beta.withUnsafeBufferPointer { bb in
                        pt.withUnsafeBufferPointer { pb in
                            for rows in blocks(stripe) {
                                let b = rows.count
                                fill(rows, weighted: false, design: block.design, rhs: block.rhs, coordinates: block.coordinates)
                                BLASKernels.product(block.design, rows: b, columns: p, lda: blockRows, bb.baseAddress!, into: fitted)
                                BLASKernels.product(block.design, rows: b, columns: p, lda: blockRows, pb.baseAddress!, columns: rank, into: block.work)
                                // ‖Pφ(vᵢ)‖² of every row, summed over k in ascending order as
                                // row by row, but a column at a time (contiguous, vectorised).
                                norms.update(repeating: 0, count: b)
                                for k in 0..<rank {
                                    let column = block.work + k * b
                                    for r in 0..<b { let s = column[r]; norms[r] += s * s }
                                }
                                for (r, i) in rows.enumerated() {
                                    var h = norms[r]
                                    let w = weights?[i] ?? 1
                                    h *= w
                                    let y = block.rhs[r]
                                    let e = y - fitted[r]
                                    resBase[i] = e
                                    levBase[i] = h
                                    out.sumW += w; out.sumWY += w * y; out.rss += w * e * e
                                    if h < 1 - 1e-9 { let l = e / (1 - h); out.looSS += w * l * l } else { out.looDefined = false }
                                }
                            }
                        }
                    }
                    return out
                }
            }
        }
        var total = Diagnostics()
        for part in parts {
            total.sumW += part.sumW; total.sumWY += part.sumWY; total.rss += part.rss; total.looSS += part.looSS
            total.looDefined = total.looDefined && part.looDefined
        }
        return total
    }
}
