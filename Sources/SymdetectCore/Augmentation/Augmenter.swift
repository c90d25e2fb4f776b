import Foundation

/// A dataset with augmented rows: the original rows first, then one block of transformed rows per
/// non-identity group element (in the group's order).
public struct AugmentedData: Sendable {
    public let table: SampleTable
    /// For every row, the index into `group.elements` of the element that produced it (0 = identity).
    public let elementIndices: [Int]
    public let group: AugmentationGroup
    public let scheme: AugmentationScheme
    public let originalCount: Int

    /// The name of the element that produced row i ("identity" for the original rows).
    public func provenance(_ row: Int) -> String { group.elements[elementIndices[row]].name }
}

/// Writes augmented training data (SPEC §1, "Corrected augmentation labels").
///
/// For a sample (x, y) and a group element g, g·x = c + G(x − c), the augmented label is
/// - `naive`:   y(x);
/// - `hessian`: h(g·x) − (y(x) − h(x)), h the quadratic Taylor model (value, gradient and Hessian
///   at the centre) — only for involutions (G² = I), and only on a convex centre unless forced;
/// - `taylor`:  y(x) + T(g·x) − T(x), T the full fitted Taylor polynomial.
/// The labels of the original rows are never changed. Non-finite coordinates cannot occur
/// (the table is finite and G orthogonal); a non-finite label can only come from a non-finite
/// model, which `FitPipeline` does not produce.
public struct Augmenter: Sendable {
    public let group: AugmentationGroup
    public let scheme: AugmentationScheme
    public let center: [Double]
    /// Non-fatal remarks, e.g. a harmonic part that is not symmetric under an element.
    public let warnings: [String]
    private let full: TaylorPolynomial?
    private let quadratic: TaylorPolynomial?

    /// - Parameters:
    ///   - fit: the Taylor fit whose centre the operations act about and whose polynomial gives
    ///     the corrections of the `hessian` and `taylor` schemes.
    ///   - copies: sampled members per continuous family.
    ///   - force: use the `hessian` scheme even when the centre is not a minimum.
    public init(fit: FitOutcome, operations: [SymmetryOperation], scheme: AugmentationScheme,
                copies: Int = AugmentationGroup.defaultCopies, seed: UInt64 = AugmentationGroup.defaultSeed,
                force: Bool = false) throws {
        let group = try AugmentationGroup(operations: operations, featureNames: fit.fit.featureNames, copies: copies, seed: seed)
        try self.init(group: group, polynomial: fit.fit.polynomial, stationaryKind: fit.hessian.kind,
                      hessianEigenvalues: fit.hessian.eigenvalues, scheme: scheme, force: force)
    }

    /// The same from parts: a group, the fitted polynomial T (centre included) and the nature of
    /// its centre.
    public init(group: AugmentationGroup, polynomial: TaylorPolynomial, stationaryKind: StationaryKind,
                hessianEigenvalues: [Double] = [], scheme: AugmentationScheme, force: Bool = false) throws {
        guard polynomial.dimension == group.dimension else {
            throw AugmentationError.dimensionMismatch(expected: group.dimension, got: polynomial.dimension)
        }
        var warnings: [String] = []
        let h = polynomial.truncated(toOrder: 2)
        if scheme == .hessian {
            if let bad = group.elements.first(where: { !$0.isInvolution }) {
                throw AugmentationError.notInvolution(element: bad.name)
            }
            if stationaryKind != .minimum {
                guard force else { throw AugmentationError.notConvex(kind: stationaryKind.label, eigenvalues: hessianEigenvalues) }
                warnings.append("the centre is a \(stationaryKind.label), not a minimum: the hessian scheme's labels assume a convex well (used because it was forced)")
            }
            // The scheme's floor is RMS((y − h)_s) only if h itself is symmetric: GᵀHG = H
            // (to 1 % of the largest Hessian entry; fitted Hessians are never exactly symmetric).
            let hessian = h.hessian(at: polynomial.center)
            let scale = hessian.storage.map(abs).max() ?? 0
            for e in group.elements.dropFirst() {
                let moved = e.matrix.transposed * hessian * e.matrix
                let change = moved.maxAbsDifference(hessian)
                if scale > 0, change > 1e-2 * scale {
                    warnings.append("the harmonic part is not symmetric under \(e.name) (Hessian changes by \(NumberFormatting.format(change / scale * 100, digits: 2))% of its largest entry): the hessian scheme carries that breaking into its labels")
                }
            }
        }
        self.group = group
        self.scheme = scheme
        center = polynomial.center
        self.warnings = warnings
        full = scheme == .taylor ? polynomial : nil
        quadratic = scheme == .hessian ? h : nil
    }

    /// The original rows of `table`, then the images of every row under each non-identity element.
    public func augment(_ table: SampleTable) -> AugmentedData {
        precondition(table.dimension == group.dimension, "dimension mismatch")
        let n = table.count, d = table.dimension
        let m = group.order
        var features = table.features.map { column -> [Double] in
            var c = column
            c.reserveCapacity(n * m)
            return c
        }
        var labels = table.labels
        labels.reserveCapacity(n * m)
        var indices = [Int](repeating: 0, count: n)
        indices.reserveCapacity(n * m)
        // Model values at the originals, needed by the corrected schemes.
        let base: [Double]? = (full ?? quadratic).map { poly in (0..<n).map { poly.value(at: table.point($0)) } }
        var u = [Double](repeating: 0, count: d)
        var image = [Double](repeating: 0, count: d)
        for (k, element) in group.elements.enumerated().dropFirst() {
            let g = element.matrix
            for i in 0..<n {
                for j in 0..<d { u[j] = table.features[j][i] - center[j] }
                for r in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += g[r, j] * u[j] }
                    image[r] = center[r] + s
                    features[r].append(image[r])
                }
                let y = table.labels[i]
                let label: Double
                switch scheme {
                case .naive: label = y
                case .hessian: label = quadratic!.value(at: image) - (y - base![i])
                case .taylor: label = y + full!.value(at: image) - base![i]
                }
                labels.append(label)
                indices.append(k)
            }
        }
        let out = SampleTable(featureNames: table.featureNames, labelName: table.labelName, features: features, labels: labels)
        return AugmentedData(table: out, elementIndices: indices, group: group, scheme: scheme, originalCount: n)
    }
}
