/// The classification of one operation (SPEC §2.6).
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// No breaking resolvable above the noise and the model's misfit, or a breaking below the
    /// exactness tolerance.
    case exact
    /// Significant breaking, but some augmentation scheme keeps the floor below the target error.
    case approximate
    /// Significant breaking with every floor above the target error.
    case absent
    /// Neither test can speak: the images fall outside the data and the Taylor model is not
    /// decisive. Never part of the group or the recommendation.
    case inconclusive
}

/// Which evidence decided a verdict.
public enum Evidence: String, Sendable, Codable, Equatable {
    /// The Wald test on the fitted Taylor model (decisive where the model is adequate).
    case taylor
    /// The model-free mirror test.
    case mirror
}
