import ArgumentParser
import Foundation
import SymdetectCore

/// What `analyze` tests and how it decides: operations, label scale, significance, tolerance,
/// learning-curve slope, units for the report and the audit rule (`--fail-on`).
struct AnalyzeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Label scale for the invariance tests: auto (log when all labels are positive and span more than three decades), none, or log. Floors and force constants stay in label units.",
        valueName: "auto|none|log"))
    var transform: TransformChoice = .auto

    @OptionGroup(title: "Operations")
    var operationOptions: OperationOptions

    var operations: [OperationSpec] { operationOptions.operations }

    @Flag(name: .customLong("only-ops"), help: "Test only the operations given with --op.")
    var onlyOperations = false

    @Option(help: ArgumentHelp(
        "Family-wise significance level of the invariance tests (Holm-adjusted), between 0 and 1 (default 0.05).",
        valueName: "A"))
    var alpha: Double?

    @Option(name: .customLong("target-error"), help: ArgumentHelp(
        "Largest acceptable RMSE floor, in label units, for an operation to count as approximate (default: 1% of the label's standard deviation).",
        valueName: "E"))
    var targetError: Double?

    @Option(name: .customLong("exact-tolerance"), help: ArgumentHelp(
        "A breaking whose RMS (the naive floor, label units) is below this is exact for every practical purpose (default: 10^-3 × the target error; never below the resolution of the labels as written).",
        valueName: "E"))
    var exactTolerance: Double?

    @Option(help: ArgumentHelp(
        "Learning-curve exponent b in e(N) ≈ a·N^(-b) for the predicted gain and crossover, instead of measuring it (implies --learning-curve off; the assumed default there is 0.5).",
        valueName: "B"))
    var slope: Double?

    @Option(name: .customLong("learning-curve"), help: ArgumentHelp(
        "Where the learning curve behind the gain and crossover comes from: quick (default; kernel ridge regression on nested subsets up to N = \(MeasuredLearningCurve.quickMaximumSize), about 20 s at most on two cores whatever the data's size), full (up to --max-n), off (assumed: b = 0.5, a = the label's standard deviation), or a JSON file written by `symdetect learning-curve --json` (its a and b; an explicit --slope still wins).",
        valueName: "quick|full|off|FILE.json"))
    var learningCurve: String?

    @Option(name: .customLong("max-n"), help: ArgumentHelp(
        "With --learning-curve full: the largest training size of the doubling grid 16, 32, 64, … (default \(LearningCurveConfiguration.defaultMaximumSize), and at most the rows left after the test set).",
        valueName: "n"))
    var maxN: Int?

    @Flag(help: "Show no progress line on stderr.")
    var quiet = false

    /// `--learning-curve` as given: a plan, or a file to read a and b from.
    enum LearningCurveChoice: Equatable {
        case quick, full, off
        case file(String)
    }

    var learningCurveFile: String? {
        if case .file(let path) = learningCurveChoice { return path }
        return nil
    }

    var learningCurveChoice: LearningCurveChoice {
        switch learningCurve {
        case nil: return slope == nil ? .quick : .off
        case "quick": return .quick
        case "full": return .full
        case "off": return .off
        case let path?: return .file(path)
        }
    }

    @Option(help: ArgumentHelp(
        "Units of the label, shown next to floors and errors in the report (e.g. cm^-1, hartree).",
        valueName: "TEXT"))
    var units: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with status 1 (after writing the report) when an operation named with --op fails the audit: absent fails on absent; approximate on approximate or absent; inconclusive on inconclusive only. An inconclusive verdict fails whichever rule is given: an audit that cannot decide must not pass.",
        valueName: "absent|approximate|inconclusive"))
    var failOn: FailRule?

    func validate() throws {
        if let alpha, !(alpha > 0 && alpha < 1) {
            throw ValidationError("--alpha must be a number between 0 and 1 (exclusive), got \(alpha)")
        }
        if let targetError, !(targetError > 0 && targetError.isFinite) {
            throw ValidationError("--target-error must be a positive number in label units, got \(targetError)")
        }
        if let exactTolerance, !(exactTolerance > 0 && exactTolerance.isFinite) {
            throw ValidationError("--exact-tolerance must be a positive number in label units, got \(exactTolerance)")
        }
        if let slope, !(slope > 0 && slope.isFinite) {
            throw ValidationError("--slope must be a positive number (the exponent b of e(N) ≈ a·N^(-b)), got \(slope)")
        }
        if let learningCurve, learningCurve.isEmpty {
            throw ValidationError("--learning-curve needs quick, full, off or a JSON file")
        }
        if slope != nil, let learningCurve, learningCurve == "quick" || learningCurve == "full" {
            throw ValidationError("--slope gives the curve and --learning-curve \(learningCurve) measures it: give one of them")
        }
        if let maxN {
            if learningCurveChoice != .full { throw ValidationError("--max-n applies to --learning-curve full") }
            if maxN < LearningCurveConfiguration.minimumSize {
                throw ValidationError("--max-n must be at least \(LearningCurveConfiguration.minimumSize), got \(maxN)")
            }
        }
        if let units, units.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--units is empty: expected a unit such as cm^-1")
        }
        if failOn != nil {
            if operations.isEmpty {
                throw ValidationError("--fail-on audits the operations named with --op: give at least one --op")
            }
        }
        if onlyOperations && operations.isEmpty {
            throw ValidationError("--only-ops needs at least one --op")
        }
    }

    /// `--fail-on`: which verdicts of an audited operation fail the run. An inconclusive
    /// verdict fails every rule (SPEC §3).
    enum FailRule: String, CaseIterable, ExpressibleByArgument {
        case absent, approximate, inconclusive

        func fails(_ verdict: Verdict) -> Bool {
            switch (self, verdict) {
            case (_, .inconclusive): return true
            case (.absent, .absent), (.approximate, .absent), (.approximate, .approximate): return true
            default: return false
            }
        }
    }

    var transformChoice: TransformChoice { transform }
    var failRule: FailRule? { failOn }
    var trimmedUnits: String? { units?.trimmingCharacters(in: .whitespaces) }

    /// The options as given, in a fixed order, for the report's reproduce command.
    var arguments: [String] {
        var out: [String] = []
        if transformChoice != .auto { out += ["--transform", transformChoice.rawValue] }
        for op in operations { out += ["--op", op.text] }
        if onlyOperations { out.append("--only-ops") }
        if let alpha { out += ["--alpha", "\(alpha)"] }
        if let targetError { out += ["--target-error", "\(targetError)"] }
        if let exactTolerance { out += ["--exact-tolerance", "\(exactTolerance)"] }
        if let slope { out += ["--slope", "\(slope)"] }
        if let learningCurve { out += ["--learning-curve", learningCurve] }
        if let maxN { out += ["--max-n", "\(maxN)"] }
        if let units = trimmedUnits { out += ["--units", units] }
        if let rule = failRule { out += ["--fail-on", rule.rawValue] }
        return out
    }
}
