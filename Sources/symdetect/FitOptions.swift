import ArgumentParser
import Foundation
import SymdetectCore

/// How the Taylor model is fitted: its order, centre and locality; shared by `fit` and `analyze`.
struct FitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Polynomial order of the Taylor model: an integer from 1 to \(TaylorFitter.maximumOrder), or 'auto' (lowest leave-one-out error among orders 1–6).",
        valueName: "K|auto"))
    var order: String = "4"

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Expansion centre: auto (stationary point by Newton steps from the lowest sample), origin, mean, min (lowest sample), or comma-separated coordinates, e.g. 0.1,0,2.5.",
            valueName: "auto|origin|mean|min|v1,v2,..."))
    var center: String = "auto"

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
        "Locality radius: weight samples by exp(-|x - c|²/(2R²)) around the centre (default: all samples weigh the same).",
        valueName: "R"))
    var radius: String?

    func validate() throws {
        if OrderChoice(argument: order) == nil {
            throw ValidationError("--order must be an integer from 1 to \(TaylorFitter.maximumOrder) or 'auto', got '\(order)'")
        }
        if CenterChoice(argument: center) == nil {
            throw ValidationError("--center must be auto, origin, mean, min or comma-separated finite numbers (e.g. 0.1,0,2.5), got '\(center)'")
        }
        if let radius, Self.parseRadius(radius) == nil {
            throw ValidationError("--radius must be a positive finite number in the units of the coordinates, got '\(radius)'")
        }
    }

    /// Valid after `validate()`.
    var configuration: FitConfiguration {
        FitConfiguration(center: CenterChoice(argument: center)!, order: OrderChoice(argument: order)!,
                         radius: radius.flatMap(Self.parseRadius))
    }

    private static func parseRadius(_ text: String) -> Double? {
        guard let r = Double(text.trimmingCharacters(in: .whitespaces)), r.isFinite, r > 0 else { return nil }
        return r
    }
}
