import Foundation

/// The measured data-efficiency gain of augmentation: how many more unique samples the baseline
/// needs to reach the augmented model's error.
///
/// For an augmented curve point (N, e), the *equivalent baseline size* N_eq is where the
/// baseline's mean-RMSE curve reaches e, and the gain is N_eq / N. An exact group of order |G|
/// gives at most |G| (SPEC §1: e_G(N) ≈ a·(|G|N)^(−b)); the images of a sample near a mirror plane
/// fall next to it and add less than a fresh sample there, so a label that varies across the
/// group's mirror planes gains less. An approximate symmetry's gain falls as its curve nears the
/// floor, and drops below 1 past the crossover N*.
///
/// N_eq is found by linear interpolation in log N – log e between the first pair of consecutive
/// measured baseline sizes whose errors bracket e (exact for a power law between them). Outside
/// the measured range the curve is continued from its nearest end with the slope b of its end
/// segment (the fitted slope where that segment does not fall): N_eq = N_end·(e_end/e)^(1/b);
/// such values are marked `extrapolated`. Non-finite or non-positive errors, and extrapolation
/// without a positive slope, give nil.
public struct BaselineCurve: Sendable, Equatable {
    /// Measured sizes (ascending) and their positive mean RMSE.
    public let sizes: [Double]
    public let errors: [Double]
    /// The fitted slope b, used beyond the measured range where the end segment does not fall.
    public let slope: Double?

    public init(sizes: [Int], errors: [Double?], slope: Double?) {
        let pairs = zip(sizes, errors).compactMap { n, e -> (Double, Double)? in
            guard n > 0, let e, e > 0, e.isFinite else { return nil }
            return (Double(n), e)
        }.sorted { $0.0 < $1.0 }
        self.sizes = pairs.map(\.0)
        self.errors = pairs.map(\.1)
        self.slope = slope.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
    }

    /// The baseline size at which the curve reaches `error`, and whether it was extrapolated.
    public func equivalentSize(error e: Double) -> (size: Double, extrapolated: Bool)? {
        guard e > 0, e.isFinite, !sizes.isEmpty else { return nil }
        for k in 0..<(sizes.count - 1) {
            let (e0, e1) = (errors[k], errors[k + 1])
            guard e0 >= e, e >= e1 else { continue }
            if e0 == e1 { return (sizes[k], false) }
            let t = log(e0 / e) / log(e0 / e1)
            return (exp(log(sizes[k]) + t * log(sizes[k + 1] / sizes[k])), false)
        }
        // Not bracketed: below the curve's lowest error continue it from there (usually the
        // largest size); above its first error, backwards from the smallest size. The slope is
        // the end segment's own (a learning curve often steepens with N, so a global fit would
        // overshoot), or the fitted one where that segment does not fall.
        let lowest = errors.indices.min { errors[$0] < errors[$1] }!
        let anchor = e > errors[0] ? 0 : lowest
        let neighbour = anchor == 0 ? 1 : anchor - 1
        var b = slope
        if neighbour < sizes.count, neighbour != anchor {
            let local = log(errors[neighbour] / errors[anchor]) / log(sizes[anchor] / sizes[neighbour])
            if local > 0 && local.isFinite { b = local }
        }
        guard let b else { return nil }
        let n = sizes[anchor] * pow(errors[anchor] / e, 1 / b)
        return n.isFinite && n > 0 ? (n, true) : nil
    }

    /// The gain N_eq / N of an augmented point with `n` unique samples and mean RMSE `error`.
    public func gain(n: Int, error: Double?) -> MeasuredGain? {
        guard n > 0, let error, let eq = equivalentSize(error: error) else { return nil }
        return MeasuredGain(n: n, equivalentBaselineN: eq.size, gain: eq.size / Double(n), extrapolated: eq.extrapolated)
    }
}

/// The measured gain of one augmented training size.
public struct MeasuredGain: Codable, NullEncoded, Sendable, Equatable {
    public var n: Int
    /// Baseline samples needed for the same mean test RMSE.
    public var equivalentBaselineN: Double
    /// equivalentBaselineN / n.
    public var gain: Double
    /// Whether N_eq lies outside the measured baseline sizes (continued with the fitted slope).
    public var extrapolated: Bool
}

/// A scheme's measured gains next to the group order.
public struct GainSummary: Codable, NullEncoded, Sendable, Equatable {
    public var scheme: String
    /// |G| (or the number of sampled members of a continuous family).
    public var groupOrder: Int
    public var perSize: [MeasuredGain]
    /// Geometric mean of the interpolated (not extrapolated) gains; nil when there are none.
    public var typicalGain: Double?

    public init(scheme: String, groupOrder: Int, perSize: [MeasuredGain]) {
        self.scheme = scheme
        self.groupOrder = groupOrder
        self.perSize = perSize
        let inside = perSize.filter { !$0.extrapolated }.map(\.gain)
        typicalGain = inside.isEmpty ? nil : exp(inside.map(log).reduce(0, +) / Double(inside.count))
    }

    enum CodingKeys: String, CodingKey { case scheme, groupOrder, perSize, typicalGain }

    public func gain(at n: Int) -> MeasuredGain? { perSize.first { $0.n == n } }
}
