import Foundation

/// Both tests of one operation and the floors estimated from each source of evidence, before
/// any verdict (which needs every operation's p-value for Holm's correction).
struct OperationEvidence {
    let operation: SymmetryOperation
    let taylor: TaylorInvarianceTest
    let mirror: MirrorTest
    let modelFloors: SchemeFloors
    let mirrorFloors: SchemeFloors?
    /// RMS over the samples of T(x) − T(g·x), label units.
    let modelBreakingRMS: Double
    /// Where the images fall, when the mirror test had too few of them inside the data.
    let imageRegion: ImageRegion?

    /// Everything the tests of every operation share.
    struct Inputs {
        let table: SampleTable
        let outcome: FitOutcome
        let scale: TestedScale
        let context: MirrorContext
        let alpha: Double
        /// sd of the labels on the tested scale.
        let testedSpread: Double
        /// The centre is the fitted stationary point and the labels are tested as they are, so
        /// the linear terms vanish by construction (see `TaylorInvarianceTest`).
        let centerIsFitted: Bool
        /// The seeded row subsets of the model floors and of the breaking RMS, gathered into
        /// tables of their own (see `SubsetRows`).
        let subsets: SubsetRows
    }

    /// The rows every operation's model floors and breaking RMS are computed on, gathered once:
    /// `ErrorFloorEstimator.sampleIndices` of a table of at most `maxSamples` rows is all of
    /// them, in order, so a gathered table gives the same rows in the same order — compact in
    /// memory instead of a cache miss per coordinate on a large table.
    struct SubsetRows: Sendable {
        let floors: SampleTable
        let breaking: SampleTable

        init(_ table: SampleTable) {
            func gathered(_ seed: UInt64) -> SampleTable {
                table.count > ErrorFloorEstimator.maxSamples ? table.rows(ErrorFloorEstimator.sampleIndices(table.count, seed: seed)) : table
            }
            floors = gathered(ErrorFloorEstimator.defaultSeed)
            breaking = gathered(OperationEvidence.breakingSeed)
        }
    }

    /// What every operation's floors and breaking RMS evaluate at the samples x themselves (not
    /// at their images g·x): computed once per batch of operations, read by each.
    struct SampleTerms: Sendable {
        let floors: ModelFloorBasis
        let tested: ErrorFloorEstimator.TestedSampleValues
        /// T(x) at the rows of `modelBreakingRMS`, in its order.
        let breaking: [Double]

        init(_ inputs: Inputs) {
            let fit = inputs.outcome.fit
            floors = ModelFloorBasis(fit: fit, higherOrder: inputs.scale.higherOrderLabelFit, table: inputs.subsets.floors)
            tested = ErrorFloorEstimator.TestedSampleValues(fit: fit, testedPoints: inputs.context.testedPoints)
            breaking = OperationEvidence.valuesAtBreakingRows(fit, inputs.subsets.breaking)
        }
    }

    /// Tests the operations concurrently; the results come back in input order, so the output
    /// does not depend on scheduling.
    static func gather(_ operations: [SymmetryOperation], _ inputs: Inputs, progress: SynchronizedProgress) -> [OperationEvidence] {
        let shared = SampleTerms(inputs)
        let schedule = longestFirst(operations)
        var results = [OperationEvidence?](repeating: nil, count: operations.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeMutableSendableBuffer(buffer)
            // Iterations are handed out in increasing order to whichever thread is free.
            DispatchQueue.concurrentPerform(iterations: operations.count) { n in
                let k = schedule[n]
                progress(.testing(operation: operations[k].name, index: n + 1, of: operations.count))
                slots[k] = OperationEvidence(operations[k], inputs, shared)
            }
        }
        return results.map { $0! }
    }

    /// The positions of `operations`, the costliest first (ties in input order): the model
    /// floors evaluate the monomials at every non-identity member of the orbit (up to 12), the
    /// rest of an operation's tests costs about the same for all. Started in this order, the
    /// last operations to start are short ones, so no thread idles long while another finishes
    /// (the order of starting changes no result: each result has its own slot).
    static func longestFirst(_ operations: [SymmetryOperation]) -> [Int] {
        let cost = operations.map { $0.orbitMatrices(limit: 12).count }
        return operations.indices.sorted { cost[$0] > cost[$1] || (cost[$0] == cost[$1] && $0 < $1) }
    }

    init(_ op: SymmetryOperation, _ inputs: Inputs, _ shared: SampleTerms) {
        operation = op
        taylor = TaylorInvarianceTest(fit: inputs.scale.fit, operation: op, alpha: inputs.alpha,
                                      labelSpread: inputs.testedSpread, centerIsFitted: inputs.centerIsFitted)
        mirror = MirrorTest(context: inputs.context, operation: op)
        let fit = inputs.outcome.fit
        modelFloors = ErrorFloorEstimator.modelBased(shared.floors, operation: op)
        mirrorFloors = ErrorFloorEstimator.mirrorBased(test: mirror, fit: fit, operation: op, atTested: shared.tested)
        modelBreakingRMS = Self.modelBreakingRMS(fit, op, inputs.subsets.breaking, valuesAtRows: shared.breaking)
        imageRegion = mirror.pValue == nil ? Self.imageRegion(op, inputs.context) : nil
    }

    /// The seed of the row subset of `modelBreakingRMS`.
    static let breakingSeed: UInt64 = 0xB4EA_0001

    /// T(x) at the rows `modelBreakingRMS` uses, in its order.
    static func valuesAtBreakingRows(_ fit: TaylorFit, _ table: SampleTable) -> [Double] {
        let idx = ErrorFloorEstimator.sampleIndices(table.count, seed: breakingSeed)
        let t = FlatTaylorPolynomial(fit.polynomial)
        let d = table.dimension
        var values = [Double](repeating: 0, count: idx.count)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d + t.scratchCount) { scratch in
            let x = scratch.baseAddress!, displacement = x + d, pw = displacement + d
            for (n, i) in idx.enumerated() {
                for j in 0..<d { x[j] = table.features[j][i] }
                values[n] = t.value(at: x, displacement: displacement, powers: pw)
            }
        }
        return values
    }

    /// RMS over the samples of T(x) − T(g·x) (first matrix of the operation), label units.
    /// `valuesAtRows`, when given, is `valuesAtBreakingRows(fit, table)`: T(x), read instead of
    /// evaluated again.
    static func modelBreakingRMS(_ fit: TaylorFit, _ op: SymmetryOperation, _ table: SampleTable,
                                 valuesAtRows: [Double]? = nil) -> Double {
        let idx = ErrorFloorEstimator.sampleIndices(table.count, seed: breakingSeed)
        let t = FlatTaylorPolynomial(fit.polynomial)
        let d = table.dimension, c = fit.center, g = op.matrix.storage
        var s = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * d + t.scratchCount) { scratch in
            let x = scratch.baseAddress!, u = x + d, image = u + d, displacement = image + d, pw = displacement + d
            for (n, i) in idx.enumerated() {
                for j in 0..<d { x[j] = table.features[j][i]; u[j] = x[j] - c[j] }
                // g·xᵢ = c + G(xᵢ − c), the product summed as `Matrix * [Double]` does.
                for r in 0..<d {
                    var gu = 0.0
                    for j in 0..<d { gu += g[r * d + j] * u[j] }
                    image[r] = c[r] + gu
                }
                let tx = valuesAtRows?[n] ?? t.value(at: x, displacement: displacement, powers: pw)
                let e = tx - t.value(at: image, displacement: displacement, powers: pw)
                s += e * e
            }
        }
        return (s / Double(max(idx.count, 1))).squareRoot()
    }

    /// The range of the images g·xᵢ of the tested samples per coordinate, next to the data's.
    static func imageRegion(_ op: SymmetryOperation, _ context: MirrorContext) -> ImageRegion {
        let d = context.table.dimension
        var lo = [Double](repeating: .infinity, count: d), hi = [Double](repeating: -.infinity, count: d)
        for t in context.tested.indices {
            let g = op.matrices[t % op.matrices.count]
            let u = (0..<d).map { context.testedPoints[t * d + $0] - context.center[$0] }
            let image = zip(context.center, g * u).map { $0 + $1 }
            for j in 0..<d { lo[j] = min(lo[j], image[j]); hi[j] = max(hi[j], image[j]) }
        }
        let images = (0..<d).map { lo[$0] <= hi[$0] ? lo[$0]...hi[$0] : 0...0 }
        return ImageRegion(imageRanges: images, dataRanges: context.table.ranges)
    }
}

/// A buffer that concurrent iterations write to at distinct indices (each index once).
struct UnsafeMutableSendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
    init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
