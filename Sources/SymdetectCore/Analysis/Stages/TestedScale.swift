/// The label scale the invariance tests run on (SPEC §2.1 `--transform`) and the fits on it:
/// the model in label units (force constants, floors) and, where the scale is log, the same
/// model on log y; plus the higher-order fits that stand in for y in the `taylor` floor.
struct TestedScale {
    let transform: LabelTransform
    let labels: [Double]
    let fit: TaylorFit
    /// Order k+2 (or k+1) fits in label units and on the tested scale; nil where the data
    /// cannot support them.
    let higherOrderLabelFit: TaylorFit?
    let higherOrderTestedFit: TaylorFit?

    init(_ table: SampleTable, choice: TransformChoice, outcome: FitOutcome, radius: Double?) throws {
        let fit = outcome.fit
        switch choice {
        case .auto:
            var r2: Double?
            if LabelTransform.spansDecades(table.labels),
               table.count > MultiIndex.count(dimension: table.dimension, order: 2) + 1 {
                r2 = try? TaylorFitter.fit(table, center: fit.center, order: 2, leaveOneOut: false).r2
            }
            transform = LabelTransform.automatic(for: table.labels, quadraticR2: r2)
        case .none:
            transform = .none
        case .log:
            guard table.labels.allSatisfy({ $0 > 0 }) else { throw AnalysisError.logOfNonPositiveLabels(label: table.labelName) }
            transform = .log
        }
        labels = transform == .none ? table.labels : table.labels.map(transform.apply)
        self.fit = transform == .none ? fit
            : try TaylorFitter.fit(table, labels: labels, center: fit.center, order: fit.order, radius: radius, leaveOneOut: false)
        higherOrderLabelFit = Self.higherOrder(table, labels: table.labels, base: fit, radius: radius)
        higherOrderTestedFit = transform == .none ? higherOrderLabelFit
            : Self.higherOrder(table, labels: labels, base: self.fit, radius: radius)
    }

    /// A fit two orders higher (or one), the proxy for y in the `taylor` floor; nil if the
    /// data cannot support it or it would exceed `FitPipeline.higherOrderProxyParameterLimit`
    /// coefficients. Fitted on at most `FitPipeline.auxiliaryRowLimit` rows.
    static func higherOrder(_ table: SampleTable, labels: [Double], base: TaylorFit, radius: Double?) -> TaylorFit? {
        var (sub, idx) = table.subsample(limit: FitPipeline.auxiliaryRowLimit)
        let subLabels = idx.map { labels[$0] }
        // With forces, at the base fit's weight: the proxy is then the nested F test's model too.
        if let w = base.gradientEquations?.weight { sub.gradients?.weight = .fixed(w) }
        for k in FitPipeline.higherOrderProxyOrders(above: base.order, dimension: table.dimension) {
            guard sub.count >= MultiIndex.count(dimension: table.dimension, order: k) + 2 else { continue }
            if let f = try? TaylorFitter.fit(sub, labels: subLabels, center: base.center, order: k, radius: radius, leaveOneOut: false) {
                return f
            }
        }
        return nil
    }
}

/// Why an analysis cannot be made with the options given.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A log scale was asked for, but some label is ≤ 0.
    case logOfNonPositiveLabels(label: String)

    public var description: String {
        switch self {
        case let .logOfNonPositiveLabels(label):
            return "a log label scale needs positive labels; '\(label)' has values ≤ 0"
        }
    }
}
