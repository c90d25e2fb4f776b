/// How the expansion centre c is chosen (`--center`).
public enum CenterChoice: Sendable, Equatable, CustomStringConvertible {
    /// Stationary-point search by Newton steps on the fitted model, re-centring and refitting.
    case auto
    case origin
    /// The mean of the samples.
    case mean
    /// The sample with the lowest label, no refinement.
    case min
    case given([Double])

    /// Parses "auto", "origin", "mean", "min" or comma-separated numbers.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "origin": self = .origin
        case "mean": self = .mean
        case "min": self = .min
        default:
            let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            let values = parts.map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
            self = .given(values.map { $0! })
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .origin: return "origin"
        case .mean: return "mean"
        case .min: return "min"
        case .given(let v): return v.map { "\($0)" }.joined(separator: ",")
        }
    }
}

import Foundation
