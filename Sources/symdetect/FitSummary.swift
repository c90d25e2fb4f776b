import Foundation
import SymdetectCore
import SymdetectReport

/// The human-readable summary `fit` prints on stdout. Presentation only: every number comes
/// from the `FitOutcome`, formatted with `NumberFormatting` (6 significant digits, values with
/// a standard error rounded to the precision it supports).
struct FitSummary {
    let input: InputSection
    let outcome: FitOutcome
    /// How many cubic and quartic force constants to list.
    var topCount = 10

    var text: String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        func block(_ rows: [[String]], indent: Int = 2) {
            for row in Self.aligned(rows) { line(String(repeating: " ", count: indent) + row) }
        }
        let f = { (x: Double) in NumberFormatting.format(x) }
        let fit = outcome.fit
        let names = fit.featureNames
        let constants = outcome.forceConstants

        line("Input")
        block([["file", input.path], ["rows", "\(input.rows)"],
               ["features", input.features.joined(separator: ", ")], ["label", input.label]])
        line()

        let center = outcome.center
        line("Centre (\(Self.choiceName(center.choice)))")
        block([zip(names, fit.center).map { "\($0) = \(f($1))" }.joined(separator: ", ")].map { [$0] })
        var centreRows: [[String]] = [["kind", Wording.centerKindCode(center.kind)]]
        if case .auto = center.choice {
            centreRows.append(["Newton iterations", "\(center.iterations)"])
            centreRows.append(["converged", center.converged ? "yes" : "no"])
        }
        centreRows.append(["gradient norm", f(center.gradientNorm)])
        centreRows.append(["inside the data", center.insideData ? "yes" : "no (the expansion extrapolates)"])
        block(centreRows)
        line()

        if outcome.orderSelection.isEmpty {
            line("Order \(fit.order) (\(fit.parameterCount) coefficients)")
        } else {
            line("Order \(fit.order) (\(fit.parameterCount) coefficients), chosen by leave-one-out RMSE")
            var rows: [[String]] = [["order", "LOO RMSE", ""]]
            for entry in outcome.orderSelection {
                rows.append(["\(entry.order)", entry.looRmse.map(f) ?? "undefined", entry.order == fit.order ? "<- chosen" : ""])
            }
            block(rows)
        }
        line()

        line("Fit diagnostics")
        var diagnostics: [[String]] = [
            ["RMSE", f(fit.rmse)],
            ["R²", f(fit.r2)],
            ["LOO RMSE", fit.looRmse.map(f) ?? "undefined"],
            ["condition number", f(fit.conditionNumber)],
            ["rank", "\(fit.rank) of \(fit.parameterCount)" + (fit.isRankDeficient ? " (rank deficient)" : "")],
            ["residual dof", "\(fit.residualDegreesOfFreedom)"],
            ["sigma", fit.sigma.map(f) ?? "undefined"],
        ]
        if let radius = fit.radius { diagnostics.append(["locality radius", f(radius)]) }
        if let g = fit.gradientEquations {
            diagnostics.append(["equations", "\(g.labelEquations) energies + \(g.gradientEquations) force components"])
            diagnostics.append(["force weight", f(g.weight) + (g.weightWasEstimated ? " (estimated)" : " (--force-weight)")])
            diagnostics.append(["force RMSE", f(g.gradientRMSE)])
        }
        block(diagnostics)
        for combination in fit.undeterminedCombinations { line("  undetermined: \(combination)") }
        if !outcome.warnings.isEmpty {
            line()
            for warning in outcome.warnings { line("warning: \(Wording.fitWarning(warning))") }
        }
        line()

        let hessian = outcome.hessian
        line("Hessian eigenvalues and normal modes (\(hessian.kind.label))")
        var modeRows: [[String]] = [["mode", "eigenvalue"] + names]
        for k in hessian.eigenvalues.indices {
            modeRows.append(["\(k + 1)", f(hessian.eigenvalues[k])] + names.indices.map { f(hessian.eigenvectors[$0, k]) })
        }
        block(modeRows)
        line()

        line("Gradient")
        block(names.indices.map { [names[$0], NumberFormatting.formatWithError(constants.gradient[$0], constants.gradientStderr[$0])] })
        line()

        line("Hessian")
        var hessianRows: [[String]] = [[""] + names]
        for i in names.indices {
            hessianRows.append([names[i]] + names.indices.map { f(constants.hessian[i, $0]) })
        }
        block(hessianRows)

        for (title, list) in [("cubic", constants.cubic), ("quartic", constants.quartic)] where !list.isEmpty {
            line()
            let top = Self.largest(list, count: topCount)
            line("Largest \(title) force constants (\(top.count) of \(list.count), by |value|)")
            let width = top.map { ForceConstants.name($0.indices).count }.max() ?? 0
            for constant in top {
                let name = ForceConstants.name(constant.indices)
                line("  " + name + String(repeating: " ", count: width - name.count)
                     + " = " + NumberFormatting.formatWithError(constant.value, constant.stderr))
            }
        }
        return out
    }

    static func choiceName(_ choice: CenterChoice) -> String {
        switch choice {
        case .auto: return "auto: stationary point of the fitted model"
        case .origin: return "origin"
        case .mean: return "mean of the samples"
        case .min: return "lowest-label sample"
        case .given: return "given"
        }
    }

    /// The `count` constants of largest magnitude; ties keep index order, so output is deterministic.
    static func largest(_ constants: [ForceConstant], count: Int) -> [ForceConstant] {
        let ranked = constants.enumerated().sorted { a, b in
            let (x, y) = (abs(a.element.value), abs(b.element.value))
            if x != y { return x > y }
            return a.offset < b.offset
        }
        return ranked.prefix(count).map(\.element)
    }

    /// Pads columns to a common width: the first left-aligned, the others right-aligned, two
    /// spaces apart; trailing blanks removed.
    static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (j, cell) in row.enumerated() { widths[j] = max(widths[j], cell.count) } }
        return rows.map { row in
            var text = ""
            for (j, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[j] - cell.count)
                if j == 0 { text += cell + pad } else { text += "  " + (row.count == 2 ? cell : pad + cell) }
            }
            while text.last == " " { text.removeLast() }
            return text
        }
    }
}
