import Foundation
import SymdetectCore

/// The learning curve in the report: one sentence in the verdict paragraph saying whether it was
/// measured (and its slope, gain and crossover) or assumed, and a section with the measured points.
extension MarkdownReport {
    var modeWord: String {
        switch result.configuration.learningCurvePlan {
        case .off: return context.learningCurvePath.map(Self.code) ?? "off"
        case .quick: return "quick"
        case .full: return "full"
        }
    }

    /// "measured learning curve", "assumed learning curve" or "given slope".
    var curveOrigin: String {
        if result.measuredLearningCurve?.model != nil { return "measured learning curve" }
        switch result.configuration.learningCurveSource {
        case .assumed: return "assumed learning curve"
        case .measured: return "measured learning curve"
        case .givenSlope: return "given slope"
        }
    }

    /// The verdict paragraph's last sentence.
    var learningCurveSentence: String {
        let curve = result.learningCurve
        guard let m = result.measuredLearningCurve, m.model != nil, let fit = m.fit else {
            var s: String
            switch result.configuration.learningCurveSource {
            case .assumed:
                s = "The learning curve behind these gains and crossovers is assumed (e(N) = a·N^(−b) with b = \(Self.f3(curve.slope)) and a = the label's standard deviation), not measured"
            case .measured:
                s = "The learning curve behind these gains and crossovers was measured by `symdetect learning-curve`" + (context.learningCurvePath.map { " (\(Self.code($0)))" } ?? "") + " (b = \(Self.f3(curve.slope)))"
            case .givenSlope:
                s = "The learning curve behind these gains and crossovers uses the given slope b = \(Self.f3(curve.slope)), not a measured one"
            }
            if let shortfall = result.learningCurveShortfall {
                s += ": it could not be measured — \(Wording.learningCurveShortfall(shortfall))"
            }
            return s + "."
        }
        let first = m.sizes.first!, last = m.sizes.last!
        var s = "The learning curve was measured on these data (kernel ridge regression, \(modeWord), N = \(first) to \(last)): "
        s += "the test RMSE falls as a·N^(−b) with b = \(Self.f3(fit.slope))"
        if let se = fit.slopeStandardError { s += " ± \(Self.f3(se))" }
        if let rec = m.recommended, let g = rec.gainAtLargestN {
            s += "; augmenting as recommended gave a measured gain of \(g.extrapolated ? "~" : "")×\(Self.f3(g.gain)) at N = \(g.n)"
            var notes: [String] = []
            if g.extrapolated { notes.append("the baseline extrapolated beyond its largest measured N") }
            if !rec.isContinuous { notes.append("|G| = \(rec.groupOrder)") }
            if !notes.isEmpty { s += " (" + notes.joined(separator: "; ") + ")" }
        }
        if let n = result.recommendation.crossoverN { s += "; the crossover N* ≈ \(Self.count(n)) follows from this curve" }
        return s + "."
    }

    var learningCurveSection: String {
        guard let m = result.measuredLearningCurve else { return "" }
        var s = "## Learning curve\n\n"
        s += "Kernel ridge regression (Gaussian kernel, hyper-parameters by cross-validation on the training rows) on nested seeded subsets, "
        s += "\(Self.plural(m.repeats, "random split")), \(m.testSize) held-out test rows per split (never augmented); "
        s += "mean test RMSE ± its standard deviation over the splits. "
        var capped: [String] = []
        if m.sizeCapped {
            capped.append("N stops at \(m.sizeCap) (\(modeWord)); the data would allow \(m.availableSize)" + (m.plan == .quick ? " (`--learning-curve full` measures up to `--max-n`)" : ""))
        }
        if m.rowsUsed < m.rowCount { capped.append("\(m.rowsUsed) of the \(m.rowCount) rows were drawn (seeded) for it") }
        if m.testCapped { capped.append("the test set is capped at \(m.testSize) rows (\(m.uncappedTestSize) otherwise)") }
        if m.augmentations.contains(where: { $0.series.points.contains { $0.skipped != nil } }) {
            capped.append("augmented training sets of more than \(m.maximumTrainingPoints) rows are skipped")
        }
        if !capped.isEmpty { s += "Capped: " + capped.joined(separator: "; ") + ". " }
        if let fit = m.fit {
            s += "Fitted baseline: e(N) = \(amount(fit.prefactor))·N^(−\(Self.f3(fit.slope)))"
            if let se = fit.slopeStandardError { s += ", b = \(Self.f3(fit.slope)) ± \(Self.f3(se)) (standard error of the log–log fit)" }
            s += "."
        }
        if m.model == nil, let shortfall = result.learningCurveShortfall {
            s += " It is not used: \(Wording.learningCurveShortfall(shortfall)); the gains and crossovers use the assumed curve."
        }
        s += "\n\n"
        var header = ["N", "baseline RMSE"]
        for a in m.augmentations {
            let who = a.role == .recommendation ? "recommended" : a.operations.joined(separator: ", ")
            header.append("\(who) (\(a.scheme.rawValue), ×\(a.groupOrder))")
            header.append("gain")
        }
        var rows: [[String]] = []
        for (k, p) in m.baseline.points.enumerated() {
            var row = ["\(p.n)", Self.meanSD(p)]
            for a in m.augmentations {
                let q = a.series.points[k]
                row.append(q.rmseMean == nil ? "skipped" : Self.meanSD(q))
                row.append(a.gains.gain(at: p.n).map { ($0.extrapolated ? "~" : "") + "×" + Self.f3($0.gain) } ?? "—")
            }
            rows.append(row)
        }
        s += Self.table(header, rows)
        if m.augmentations.isEmpty { return s + "\n" }
        s += "\nGain: the baseline needs gain × N samples for the augmented RMSE at N (log–log interpolation between measured sizes; ~ where extrapolated with the baseline's end slope).\n\n"
        return s
    }

    static func meanSD(_ p: LearningCurvePoint) -> String {
        guard let mean = p.rmseMean else { return "—" }
        return f3(mean) + (p.rmseSD.map { " ± " + f3($0) } ?? "")
    }
}
