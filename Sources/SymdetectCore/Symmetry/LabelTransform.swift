import Foundation

/// The scale on which the invariance tests compare labels (`--transform`).
///
/// A symmetry of y is a symmetry of log y; for positive labels spanning many decades (electron
/// densities) log y keeps a few large samples from dominating local fits and residual
/// comparisons. Floors and force constants always stay in the label's own units.
public enum LabelTransform: String, Sendable, Codable, CaseIterable {
    case none
    case log

    /// `auto`: log when every label is positive and max/min > 10³.
    public static func automatic(for labels: [Double]) -> LabelTransform {
        guard let lo = labels.min(), let hi = labels.max(), lo > 0 else { return .none }
        return hi / lo > 1e3 ? .log : .none
    }

    public func apply(_ y: Double) -> Double { self == .log ? Foundation.log(y) : y }
    public func invert(_ z: Double) -> Double { self == .log ? exp(z) : z }
}

/// `--transform auto|none|log`.
public enum TransformChoice: String, Sendable, Equatable, CaseIterable {
    case auto, none, log
}
