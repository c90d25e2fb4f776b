import Foundation
import SymdetectCore

/// The Markdown report of an analysis, for code review: the verdict in plain words, the
/// recommendation with its `augment` command, every tested operation, the Taylor fit, the
/// figures and how it was all computed. Presentation only — every number comes from the
/// `AnalysisResult`, formatted with `NumberFormatting` (3 significant digits for statistics and
/// floors, 4 for fit diagnostics, 6 for coordinates, force constants to the precision their
/// standard error supports).
struct MarkdownReport {
    let result: AnalysisResult
    let context: ReportContext
    let figures: FigureNames

    // MARK: Formatting

    static func f3(_ x: Double) -> String { NumberFormatting.format(x, digits: 3) }
    static func f4(_ x: Double) -> String { NumberFormatting.format(x, digits: 4) }
    static func f6(_ x: Double) -> String { NumberFormatting.format(x, digits: 6) }

    /// A value in label units, e.g. "0.512 cm^-1".
    func amount(_ x: Double, digits: Int = 3) -> String {
        NumberFormatting.format(x, digits: digits) + (context.units.map { " \($0)" } ?? "")
    }

    /// A p-value: 2 significant digits, "< 1e-300" when it underflowed to 0.
    static func pValue(_ p: Double?) -> String {
        guard let p else { return "—" }
        if p == 0 { return "< 1e-300" }
        return NumberFormatting.format(p, digits: 2)
    }

    /// A sample count: an integer (3 significant digits) below a million, otherwise 3 digits.
    static func count(_ n: Double) -> String {
        guard n.isFinite else { return "∞" }
        if n < 1e6 {
            let digits = max(0, Int(floor(log10(max(n, 1)))) - 2)
            let scale = pow(10, Double(digits))
            return String(Int((n / scale).rounded() * scale))
        }
        return NumberFormatting.format(n, digits: 3)
    }

    static func code(_ s: String) -> String {
        let ticks = s.contains("`") ? "``" : "`"
        let pad = s.hasPrefix("`") || s.hasSuffix("`") ? " " : ""
        return ticks + pad + s + pad + ticks
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    static func row(_ cells: [String]) -> String { "| " + cells.map(cell).joined(separator: " | ") + " |" }

    static func table(_ header: [String], _ rows: [[String]], align: [String]? = nil) -> String {
        var out = row(header) + "\n"
        out += "|" + (align ?? header.map { _ in "---" }).map { " \($0) |" }.joined() + "\n"
        for r in rows { out += row(r) + "\n" }
        return out
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    static func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (pluralForm ?? singular + "s"))
    }

    static func orderWords(_ k: Int) -> String {
        switch k {
        case 1: return "linear terms (the centre is not a stationary point along this operation)"
        case 2: return "harmonic coupling (order-2 terms)"
        case 3: return "cubic anharmonicity"
        case 4: return "quartic terms"
        default: return "order-\(k) terms"
        }
    }

    var wording: Wording { Wording(units: context.units) }

    var centreWords: String {
        switch result.fit.center.kind {
        case .stationary(let kind):
            var s: String
            switch kind {
            case .minimum: s = "about the minimum of the fitted Taylor model"
            case .saddle(let m): s = "about a saddle point of index \(m) of the fitted Taylor model"
            case .maximum: s = "about a maximum of the fitted Taylor model"
            case .degenerate: s = "about a degenerate stationary point of the fitted Taylor model"
            }
            let flat = result.fit.center.flatDirections
            if flat > 0 {
                s += " along the \(Self.plural(result.featureNames.count - flat, "direction")) the data determine (along \(flat) more the label is flat within its noise, and the centre is the mean of the samples there)"
            }
            return s
        case .notConverged: return "about the last centre of a stationary-point search that did not converge"
        case .fallback: return "about the lowest-label sample (the stationary-point search was abandoned; see the warning)"
        case .origin: return "about the origin"
        case .mean: return "about the mean of the samples"
        case .lowestSample: return "about the lowest-label sample"
        case .given: return "about the given centre"
        }
    }

    var labelUnits: String { context.units.map { " (\($0))" } ?? "" }

    // MARK: Sections

    var text: String {
        var out = "# Symmetry report: \(Self.code(context.inputPath))\n\n"
        out += verdictParagraph + "\n\n"
        for warning in result.warnings { out += "> **Warning:** \(Wording.warning(warning, labelName: result.labelName))\n>\n" }
        if !result.warnings.isEmpty { out.removeLast(2); out += "\n" }
        out += moleculeSection
        out += recommendationSection
        out += learningCurveSection
        out += operationsSection
        out += fitSection
        out += figuresSection
        out += methodsSection
        return out
    }

    var verdictParagraph: String {
        let ops = result.operations
        let exact = ops.filter { $0.verdict == .exact }.map { Self.code($0.name) }
        let approximate = ops.filter { $0.verdict == .approximate }
        let absent = ops.filter { $0.verdict == .absent }
        let inconclusive = ops.filter { $0.verdict == .inconclusive }
        var s = "**Verdict.** \(Self.code(context.inputPath)) (\(Self.plural(result.rowCount, "row")); "
        s += "coordinates \(result.featureNames.joined(separator: ", ")); label \(result.labelName)): "
        s += "\(Self.plural(ops.count, "operation")) tested \(centreWords). "
        if exact.isEmpty {
            s += "None is exact. "
        } else {
            s += "\(exact.count == 1 ? "One is" : "\(exact.count) are") exact: \(Self.list(exact)). "
        }
        if !approximate.isEmpty {
            let items = approximate.map { op -> String in
                var t = Self.code(op.name)
                if let k = op.breakingOrder {
                    t += " (broken by \(Self.orderWords(k).components(separatedBy: " (").first!)"
                    if let term = op.taylor.responsible.first { t += ", mainly \(term.forceConstant)" }
                    t += ")"
                }
                return t
            }
            s += "\(approximate.count == 1 ? "One is" : "\(approximate.count) are") approximate — a real but small breaking: \(Self.list(items)). "
        }
        if !absent.isEmpty {
            s += "\(absent.count == 1 ? "One is" : "\(absent.count) are") absent (broken beyond the target error of \(amount(result.targetError)))"
            s += absent.count <= 4 ? ": \(Self.list(absent.map { Self.code($0.name) })). " : ". "
        }
        if !inconclusive.isEmpty {
            s += "\(inconclusive.count == 1 ? "One is" : "\(inconclusive.count) are") inconclusive — the data cannot decide "
            s += inconclusive.count == 1 ? "it" : "them"
            s += inconclusive.count <= 4 ? ": \(Self.list(inconclusive.map { Self.code($0.name) })); " : "; "
            s += "\(inconclusive.count == 1 ? "it is" : "they are") left out of the group and the recommendation. "
        }
        let group = result.group
        if group.isContinuous {
            s += "The exact operations include a continuous family, so they generate a continuous group. "
        } else if let order = group.order, order > 1 {
            s += "The exact operations generate a group of order \(order)\(group.isTruncated ? " or more" : ""): augmenting with them acts like up to \(order) times as much data, with no error floor. "
        }
        let rec = result.recommendation
        if rec.operations.isEmpty {
            s += "No augmentation is recommended."
        } else if rec.floor > 0 {
            s += "Adding the approximate operations raises the data-efficiency factor"
            if let g = rec.gainFactor { s += " to \(g)" }
            s += " but imposes an error floor of \(amount(rec.floor))"
            if let n = rec.crossoverN { s += "; past about \(Self.count(n)) training samples augmentation no longer helps" }
            s += "."
        } else {
            s += "The recommendation is to augment with the exact operations only."
        }
        s += " " + learningCurveSentence
        return s
    }

    var recommendationSection: String {
        let rec = result.recommendation
        var s = "## Recommendation\n\n"
        if rec.operations.isEmpty {
            s += "No augmentation is recommended: no operation is exact, and none is approximate within the target error of \(amount(result.targetError)).\n\n"
        } else {
            s += "Augment with \(Self.list(rec.operationNames.map(Self.code))) using the \(Self.code(rec.scheme.rawValue)) scheme.\n\n"
            var rows: [[String]] = []
            rows.append(["operations", rec.operationNames.map(Self.code).joined(separator: ", ")])
            let schemeWords: String = {
                switch rec.scheme {
                case .naive: return "copy the label to the image, y(g·x) := y(x)"
                case .hessian: return "correct the label with the quadratic Taylor model"
                case .taylor: return "correct the label with the full fitted Taylor polynomial"
                }
            }()
            rows.append(["scheme", "\(Self.code(rec.scheme.rawValue)): \(schemeWords)"])
            if let g = rec.gainFactor {
                var gain = "up to ×\(g) data efficiency: the augmented set acts like up to \(g) times as many samples (the order of the group the operations generate); less where the label varies across a mirror plane of the group, where the image of a sample falls next to it"
                if let measured = result.measuredLearningCurve?.recommended?.gainAtLargestN {
                    gain += "; measured: \(measured.extrapolated ? "~" : "")×\(Self.f3(measured.gain)) at N = \(measured.n) (see Learning curve)"
                } else {
                    gain += " (`symdetect learning-curve` measures the gain)"
                }
                rows.append(["expected gain", gain])
            } else {
                rows.append(["expected gain", "continuous group: more augmented samples keep helping, with no fixed factor"])
            }
            rows.append(["predicted RMSE floor", rec.floor > 0 ? amount(rec.floor) : "none (exact operations only)"])
            if let n = rec.crossoverN {
                let from = " (from the \(curveOrigin))"
                rows.append(["crossover N*", "≈ \(Self.count(n)) samples: augmentation helps below, hurts above" + from])
            } else {
                rows.append(["crossover N*", rec.floor > 0 ? "not defined" : "none: exact augmentation never hurts"])
            }
            for row in rows { s += "- **\(row[0].prefix(1).uppercased() + row[0].dropFirst()):** \(row[1])\n" }
            s += "\n"
            if let command = context.augmentCommand(rec) {
                s += "The augmented data (original rows plus their images):\n\n```sh\n\(command)\n```\n\n"
            }
        }
        // With nothing recommended, the sentence above already says what the engine's
        // "no augmentation is recommended" caveat says.
        let caveats = rec.caveats.filter { $0 != .nothingToRecommend }
        if !caveats.isEmpty {
            s += "Caveats:\n\n"
            for c in caveats { s += "- \(wording.caveat(c))\n" }
            s += "\n"
        }
        return s
    }

    var operationsSection: String {
        var s = "## Tested operations\n\n"
        s += "Each operation acts about the centre (\(result.fit.fit.center.map(Self.f6).joined(separator: ", "))). "
        s += "Verdicts use a family-wise significance level α = \(Self.f3(result.configuration.alpha)) (Holm-adjusted p-values) "
        s += "and a target error of \(amount(result.targetError)); a breaking whose RMS (the naive floor) is below the exactness tolerance of \(amount(result.exactTolerance)) counts as exact. "
        s += "Floors are the predicted RMSE / MAE of a model trained on the augmented data\(labelUnits.isEmpty ? " (label units)" : labelUnits); "
        s += "the lowest floor among the schemes the verdict rests on (`naive`, `hessian`) is in bold. "
        s += "The `taylor` scheme corrects each augmented label with the fitted polynomial, which can repair any operation the model describes well, "
        s += "so its floor does not make an operation approximate; it competes only in the recommendation.\n\n"
        let header = ["operation", "verdict", "decided by", "p (Holm)", "breaking order", "breaking RMS", "coverage",
                      "naive floor", "hessian floor", "taylor floor", "floors from"]
        var rows: [[String]] = []
        for op in result.operations {
            func floor(_ scheme: AugmentationScheme) -> String {
                guard let e = op.floors[scheme] else { return "—" }
                let text = "\(Self.f3(e.rmse)) / \(Self.f3(e.mae))"
                return op.verdict != .exact && op.bestScheme == scheme ? "**\(text)**" : text
            }
            rows.append([
                Self.code(op.name), op.verdict == .exact ? "**exact**" : op.verdict.rawValue,
                op.decidedBy.map { $0 == .taylor ? "Taylor" : "mirror" } ?? "—",
                Wording.pValueDecides(op) ? Self.pValue(op.adjustedPValue) : "—",
                op.breakingOrder.map(String.init) ?? "—",
                op.breakingRMS.map(Self.f3) ?? "—",
                NumberFormatting.format(100 * op.coverage, digits: 3) + "%",
                floor(.naive), floor(.hessian), floor(.taylor),
                op.floorSource == .taylor ? "model" : "mirror",
            ])
        }
        s += Self.table(header, rows, align: ["---", "---", "---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "---"])
        s += "\n"
        let group = result.group
        if group.isContinuous {
            s += "Exact group: continuous, generated by \(Self.list(group.generators.map(Self.code))).\n\n"
        } else if let order = group.order {
            s += order > 1
                ? "Exact group: order \(order)\(group.isTruncated ? " (closure stopped at its cap)" : ""), generated by \(Self.list(group.generators.map(Self.code))).\n\n"
                : "Exact group: trivial (no exact operation).\n\n"
        }
        if !result.planeRotations.isEmpty {
            s += "Rotations by plane: " + result.planeRotations.map { "\($0.axes.0),\($0.axes.1): \(Wording.rotation($0.symmetry))" }.joined(separator: "; ") + ".\n\n"
        }
        if !result.coincidentOperations.isEmpty {
            let items = result.coincidentOperations.map { c in
                Self.code(c.name) + " is " + (c.sameAs.map { Self.code($0) } ?? "a product of the exact operations")
            }
            s += "Not tested separately, being the same operation (the Hessian's modes were symmetrized over the exact group first): \(Self.list(items)).\n\n"
        }
        // The reasons repeat much of the table: folded, so the table stays the thing one reads.
        s += "<details>\n<summary>Why each verdict</summary>\n\n"
        for op in result.operations {
            s += "- \(Self.code(op.name)) — **\(op.verdict.rawValue)**: \(wording.reason(op, alpha: result.configuration.alpha, names: result.featureNames))\n"
        }
        s += "\n</details>\n\n"
        return s
    }

    var fitSection: String {
        let outcome = result.fit
        let fit = outcome.fit
        let names = fit.featureNames
        var s = "## The Taylor fit\n\n"
        let centre = zip(names, fit.center).map { "\($0) = \(Self.f6($1))" }.joined(separator: ", ")
        var how: String
        switch outcome.center.choice {
        case .auto:
            if case .fallback(let why) = outcome.center.kind {
                how = "the lowest-label sample: the stationary-point search was abandoned because \(Wording.fallback(why))"
            } else {
                how = "stationary point of the fitted model after \(Self.plural(outcome.center.iterations, "Newton step"))"
                how += outcome.center.converged ? "" : ", **not converged**"
                how += "; a \(outcome.hessian.kind.label)"
            }
        case .origin: how = "the origin (`--center origin`)"
        case .mean: how = "the mean of the samples (`--center mean`)"
        case .min: how = "the lowest-label sample (`--center min`)"
        case .given: how = "given with `--center`"
        }
        how += outcome.center.insideData ? "" : "; **outside the range of the data** (the expansion extrapolates)"
        s += "- Centre: \(centre) — \(how).\n"
        let rank = fit.isRankDeficient ? "rank \(fit.rank) of \(fit.parameterCount) (**rank deficient**)" : "full rank"
        var model = "- Model: order \(fit.order)"
        if !outcome.orderSelection.isEmpty { model += " (chosen by leave-one-out RMSE among orders \(outcome.orderSelection.map { String($0.order) }.joined(separator: ", ")))" }
        model += ", \(Self.plural(fit.parameterCount, "coefficient")), \(rank), condition number \(Self.f3(fit.conditionNumber)), \(Self.plural(fit.residualDegreesOfFreedom, "residual degree", "residual degrees")) of freedom"
        if let r = fit.radius { model += ", Gaussian locality radius \(Self.f4(r))" }
        s += model + ".\n"
        s += "- Fit in label units: RMSE \(amount(fit.rmse)), R² \(NumberFormatting.format(fit.r2, digits: 6)), leave-one-out RMSE \(fit.looRmse.map { amount($0) } ?? "undefined").\n"
        if let g = fit.gradientEquations {
            s += "- Forces in the fit: \(wording.forceEquations(g, coordinates: names)).\n"
        } else if let m = result.molecule, m.framesHaveForces {
            s += m.forcesUsed
                ? "- Forces in the fit: none; the forces are the energy's gradient, not the analysed label's (they entered the fits of the energy that locate the equilibrium and the normal modes).\n"
                : "- Forces in the fit: none; the frames carry forces, ignored with `--no-forces`.\n"
        }
        let scale = result.transform == .log ? "log(\(result.labelName))" : result.labelName
        let a = result.adequacy
        s += "- Invariance tests ran on " + (result.transform == .log
            ? "\(scale) (the labels are positive and span more than three decades); on that scale the model is "
            : "\(scale) itself; the model is ")
        s += a.adequate ? "**adequate** for the Taylor test (\(wording.adequacy(a))).\n"
            : "**not adequate** for the Taylor test (\(wording.adequacy(a))), so the mirror test decides where it has coverage.\n"
        for c in fit.undeterminedCombinations { s += "- Undetermined by the data: \(c).\n" }
        s += "\n"

        s += "Hessian eigenvalues and normal modes (columns: the mode's components):\n\n"
        var rows: [[String]] = []
        for k in outcome.hessian.eigenvalues.indices {
            rows.append(["\(k + 1)", Self.f4(outcome.hessian.eigenvalues[k])] + names.indices.map { Self.f3(outcome.hessian.eigenvectors[$0, k]) })
        }
        s += Self.table(["mode", "eigenvalue"] + names, rows, align: ["--:", "--:"] + names.map { _ in "--:" })
        s += "\n"

        let breaking = breakingOperations
        if !breaking.isEmpty {
            s += "Force constants that break the approximate symmetries\(breaking.contains { $0.verdict == .absent } ? " and the absent coordinate reflections" : "") "
            s += "(φ with 1-based coordinate indices, the derivative of the Taylor model at the centre, ± standard error; "
            s += "the most significant antisymmetric terms at the breaking order):\n\n"
            var rows: [[String]] = []
            for op in breaking {
                for term in op.taylor.responsible {
                    rows.append([Self.code(op.name), op.verdict.rawValue, op.breakingOrder.map(String.init) ?? "—", term.forceConstant,
                                 Self.code(term.monomial), NumberFormatting.formatWithError(term.value, term.stderr, digits: 4)])
                }
            }
            s += Self.table(["operation", "verdict", "breaking order", "force constant", "monomial", "value"], rows,
                            align: ["---", "---", "--:", "---", "---", "--:"])
            s += "\n"
        }
        let cubic = outcome.forceConstants.cubic.enumerated().sorted {
            abs($0.element.value) != abs($1.element.value) ? abs($0.element.value) > abs($1.element.value) : $0.offset < $1.offset
        }.prefix(6).map(\.element)
        if !cubic.isEmpty {
            s += "Largest cubic force constants: " + cubic.map { "\(ForceConstants.name($0.indices)) = \(NumberFormatting.formatWithError($0.value, $0.stderr, digits: 4))" }.joined(separator: "; ") + ".\n\n"
        }
        return s
    }

    /// Non-exact operations whose breaking force constants are listed: every approximate one,
    /// and absent reflections of single coordinates (the force constants odd in one coordinate,
    /// which is what a chemist reads them for), at most 12.
    var breakingOperations: [OperationResult] {
        result.operations.filter { op in
            guard op.verdict != .exact, op.breakingOrder != nil, !op.taylor.responsible.isEmpty else { return false }
            if op.verdict == .approximate { return true }
            if case .reflect = op.operation.kind { return true }
            return false
        }.prefix(12).map { $0 }
    }

    var figuresSection: String {
        var s = "## Figures\n\n"
        let rec = result.recommendation
        let measured = result.measuredLearningCurve?.model != nil
        s += measured ? "![Learning curves](\(figures.learningCurve))\n\n" : "![Predicted learning curves](\(figures.learningCurve))\n\n"
        s += measured
            ? "Learning curves (log–log): the measured test RMSE (points, mean ± sd over the splits; filled the baseline, open the measured augmentations), the baseline e(N) = a·N^(−b) fitted to it"
            : "Predicted learning curves (log–log): the baseline e(N) = a·N^(−b)"
        if let g = rec.gainFactor, g > 1 {
            s += ", the recommended augmentation √((a·(\(g)N)^(−b))² + floor²)"
        }
        let approximate = result.operations.contains { $0.verdict == .approximate }
        let greyAbsent = !approximate && rec.operations.isEmpty && result.operations.contains { $0.verdict == .absent && ($0.orbitSize ?? 0) > 1 }
        s += approximate ? " and each approximate operation on its own" : (greyAbsent ? " and, in grey, the absent operations with the lowest floors (not recommended)" : "")
        s += "; dashed lines are the error floors, circles the crossovers N* (past which augmenting hurts), the dotted line this dataset's size.\n\n"
        for op in result.operations where op.verdict == .approximate {
            guard let name = figures.mirror[op.name] else { continue }
            s += "![Mirror test of \(op.name)](\(name))\n\n"
            s += "Mirror test of \(Self.code(op.name)): the residual of predicting each label from the neighbours of its image g·x (vertical) "
            s += "against its ordinary leave-one-out residual (horizontal); under an exact symmetry the cloud is as tall as it is wide.\n\n"
        }
        return s
    }

    var methodsSection: String {
        let configuration = result.configuration
        let fit = result.fit.fit
        var s = "## How this was computed\n\n"
        s += "The label is expanded in a Taylor polynomial T about the centre (least squares on all monomials up to the order, "
        s += "coordinates scaled internally, coefficients reported in the data's units). Each candidate operation g acts as "
        s += "g·x = c + G(x − c). Two tests look for breaking: the *Taylor test* (a Wald test on the antisymmetric part "
        s += "(T − T∘g)/2 of the fitted coefficients, decisive only where the model is adequate) and the model-free *mirror test* "
        s += "(each label predicted from a local polynomial fit to the nearest neighbours of its image, compared with its "
        s += "leave-one-out prediction by a sign test). P-values are Holm-adjusted across operations. An operation is exact "
        s += "when no breaking is significant or its RMS is below the exactness tolerance, approximate when it is broken but some "
        s += "scheme's predicted RMSE floor stays within the target error, absent otherwise, and inconclusive when neither test can "
        s += "speak (the Taylor model is not adequate, and the images fall outside the data or the local predictions are too coarse to resolve a breaking of the target size). Reflections along the Hessian's modes "
        s += "are built after the Hessian is symmetrized over the exact group of the coordinate operations. Floors are the RMS (and mean absolute value) of the label error each augmentation "
        s += "scheme leaves: y − y_s for `naive`, (y − h)_s for `hessian` (h the quadratic model), (y − T)_a for `taylor`. "
        s += "The learning curve e(N) = a·N^(−b) becomes √((a·(|G|N)^(−b))² + floor²) with augmentation; the crossover N* is "
        s += "where the two meet. Method after S. Y. H. Kim, M. Lechaume-Robert, O. A. von Lilienfeld, "
        s += "\"Approximate label symmetries improve data scaling\", arXiv:2605.28238 (2026).\n\n"

        var rows: [[String]] = []
        rows.append(["tool", "symdetect \(context.toolVersion)"])
        if let command = context.command { rows.append(["command", Self.code(command)]) }
        rows.append(["input", Self.code(context.inputPath)])
        rows.append(["rows", "\(result.rowCount)"])
        rows.append(["coordinates", result.featureNames.joined(separator: ", ")])
        rows.append(["label", result.labelName + labelUnits])
        rows.append(["SHA-256 of the input", context.inputSHA256.map(Self.code) ?? "not computed"])
        rows.append(["centre", "--center \(configuration.fit.center)"])
        rows.append(["order", "--order \(configuration.fit.order)" + (configuration.fit.order == .auto ? " (chose \(fit.order))" : "")])
        if let m = result.molecule { rows.append(["forces", Wording.forceSetting(m, fit: fit)]) }
        rows.append(["locality radius", configuration.fit.radius.map { Self.f6($0) } ?? "none (all samples weigh the same)"])
        rows.append(["label transform", "--transform \(configuration.transform.rawValue) → \(result.transform == .log ? "log" : "none")"])
        rows.append(["significance", "α = \(Self.f3(configuration.alpha)), family-wise (Holm)"])
        let resolution = result.labelResolution.map { "; the labels as written resolve \(amount($0))" } ?? ""
        rows.append(["exactness tolerance", amount(result.exactTolerance) + (configuration.exactTolerance != nil ? " (--exact-tolerance" : " (default: 10⁻³ × the target error") + resolution + ", and the tolerance is never below that)"])
        rows.append(["target error", configuration.targetError != nil ? amount(result.targetError) + " (--target-error)"
                        : amount(result.targetError) + " (default: 1% of the label's standard deviation, \(amount(result.labels.standardDeviation)))"])
        let a = result.learningCurve
        if result.measuredLearningCurve?.model != nil {
            rows.append(["learning curve", "--learning-curve \(modeWord): a = \(amount(a.prefactor)), b = \(Self.f3(a.slope)) (measured on these data, seed \(configuration.learningCurveSeed))"])
        } else {
            let aSource = configuration.prefactor == nil ? "the label's standard deviation" : "given"
            let bSource: String
            switch configuration.learningCurveSource {
            case .assumed: bSource = "assumed, not measured"
            case .measured: bSource = "measured" + (context.learningCurvePath.map { " (\($0))" } ?? "")
            case .givenSlope: bSource = "--slope"
            }
            rows.append(["learning curve", "--learning-curve \(modeWord): a = \(amount(a.prefactor)) (\(aSource)), b = \(Self.f3(a.slope)) (\(bSource))"])
        }
        let listed = configuration.operations.map { Self.code($0.text) }
        if configuration.onlyListedOperations {
            rows.append(["operations", "only \(Self.list(listed)) (--only-ops)"])
        } else {
            rows.append(["operations", "the default candidates" + (listed.isEmpty ? "" : " and \(Self.list(listed))")])
        }
        s += Self.table(["setting", "value"], rows)
        return s
    }
}
