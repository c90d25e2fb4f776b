import Foundation

/// The scale on which the invariance tests compare labels (`--transform`).
///
/// A symmetry of y is a symmetry of log y; for positive labels spanning many decades (electron
/// densities) log y keeps a few large samples from dominating local fits and residual
/// comparisons. Floors and force constants always stay in the label's own units.
public enum LabelTransform: String, Sendable, Codable, CaseIterable {
    case none
    case log

    /// `auto`: log when every label is positive and max/min > 10³ (SPEC §2.1) — unless a
    /// quadratic already describes the labels (`quadraticR2` > 0.9): that is a potential well
    /// measured from its minimum, whose labels also span decades (V → 0 at the minimum) but for
    /// which log V is singular at the minimum and would wreck every local fit there.
    public static func automatic(for labels: [Double], quadraticR2: Double? = nil) -> LabelTransform {
        guard spansDecades(labels) else { return .none }
        if let r2 = quadraticR2, r2 > 0.9 { return .none }
        return .log
    }

    /// All labels positive and max/min > 10³.
    public static func spansDecades(_ labels: [Double]) -> Bool {
        guard let lo = labels.min(), let hi = labels.max(), lo > 0 else { return false }
        return hi / lo > 1e3
    }

    public func apply(_ y: Double) -> Double { self == .log ? Foundation.log(y) : y }
    public func invert(_ z: Double) -> Double { self == .log ? exp(z) : z }
}

/// `--transform auto|none|log`.
public enum TransformChoice: String, Sendable, Equatable, CaseIterable {
    case auto, none, log
}
