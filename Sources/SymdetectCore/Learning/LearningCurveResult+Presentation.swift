import Foundation

extension LearningCurveResult {
    /// The plain-text table printed by `learning-curve`: mean ± sd of the test RMSE per size and
    /// curve, the baseline power law, and each scheme's plateau next to its predicted floor.
    public var textTable: String {
        func f(_ x: Double?, _ digits: Int = 3) -> String { x.map { NumberFormatting.format($0, digits: digits) } ?? "-" }
        var out = ""
        let groupText = group.continuous ? "\(group.order) sampled elements" : "group order \(group.order)"
        out += "Learning curves for \(input.path) (\(input.rows) rows): \(operations.joined(separator: ", ")) (\(groupText))\n"
        out += "kernel ridge regression (Gaussian kernel, \(kernel.folds)-fold cross-validation), \(repeats) random split\(repeats == 1 ? "" : "s"), test set \(testSize) rows, seed \(seed)\n\n"
        let curves = [baseline] + augmented
        var header = ["N".padding(toLength: 6, withPad: " ", startingAt: 0)]
        // Augmented cells also show the measured gain (×g; ~ when extrapolated).
        func width(_ c: LearningCurveSeries) -> Int { c.scheme == baseline.scheme ? 22 : 32 }
        for c in curves { header.append(("\(c.scheme) RMSE").padding(toLength: width(c), withPad: " ", startingAt: 0)) }
        out += header.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        for (k, n) in sizes.enumerated() {
            var cells = [String(n).padding(toLength: 6, withPad: " ", startingAt: 0)]
            for c in curves {
                let p = c.points[k]
                var text = p.rmseMean.map { "\(f($0)) ± \(f(p.rmseSD, 2))" } ?? "(skipped)"
                if let g = gains.first(where: { $0.scheme == c.scheme })?.gain(at: n) {
                    text = text.padding(toLength: 22, withPad: " ", startingAt: 0) + (g.extrapolated ? "~×" : "×") + f(g.gain, 2)
                }
                cells.append(text.padding(toLength: width(c), withPad: " ", startingAt: 0))
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        out += "\n"
        if let fit {
            out += "baseline fit: RMSE ≈ a·N^(−b), a = \(f(fit.prefactor, 4)), b = \(NumberFormatting.formatWithError(fit.slope, fit.slopeStderr, digits: 4))\n"
        } else {
            out += "baseline fit: too few sizes for a power law\n"
        }
        if !gains.isEmpty {
            out += "measured gain ×g: the baseline needs g·N samples for the augmented RMSE at N (log–log interpolation between measured sizes; ~ extrapolated beyond them with the slope of the baseline's end segment). An exact group gives at most |G| = \(group.order); less where the label varies across its mirror planes.\n"
            for g in gains {
                out += "  \(g.scheme): typical gain \(f(g.typicalGain, 3)) (geometric mean over the interpolated sizes) of |G| = \(g.groupOrder)\n"
            }
        }
        if !comparisons.isEmpty {
            out += "\n"
            let columns = ["scheme", "plateau", "from", "predicted floor", "ratio", "plateau fit", "ratio (fit)"]
            let widths = [8, 10, 15, 16, 7, 12, 11]
            func row(_ values: [String]) -> String {
                zip(values, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
            out += row(columns)
            for c in comparisons {
                out += row([c.scheme, f(c.plateau), c.plateauMethod, f(c.predictedRMSE), f(c.ratio), f(c.plateauFit), f(c.ratioFit)])
            }
            if !predictedFloors.isEmpty {
                out += "predicted floors (\(predictedFloorMethod)) from the symmetry analysis of all \(input.rows) rows; verdicts: "
                out += predictedFloors.map { "\($0.operation) \($0.verdict)" }.joined(separator: ", ") + "\n"
            }
            out += "(RMSE in label units. plateau: mean of the last two sizes once the last doubling of N lowered the RMSE by less than 15 %, else the fit; plateau fit: f of sqrt((a(|G|N)^(−b))² + f²); ratio = plateau / predicted floor)\n"
        }
        return out
    }

    /// A log–log plot of the curves: mean RMSE with ±1 sd error bars per curve, the baseline's
    /// fitted power law (thin dashed) and each scheme's predicted floor (dashed, in the scheme's
    /// colour). Hand-written SVG with every coordinate printed to two decimals, so the same result
    /// always gives the same bytes.
    public var svg: String {
        let width = 800.0, height = 500.0
        let left = 80.0, right = 230.0, top = 50.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let curves = [baseline] + augmented
        let colours = ["baseline": "#222222", "naive": "#1f77b4", "hessian": "#d62728", "taylor": "#2ca02c"]
        func colour(_ s: String) -> String { colours[s] ?? "#7f7f7f" }

        var ys: [Double] = []
        for c in curves {
            for p in c.points {
                guard let m = p.rmseMean, m > 0 else { continue }
                ys.append(m)
                if let sd = p.rmseSD { ys.append(m + sd); if m - sd > 0 { ys.append(m - sd) } }
            }
        }
        let floors = comparisons.compactMap { c in c.predictedRMSE.flatMap { $0 > 0 ? (c.scheme, $0) : nil } }
        ys += floors.map(\.1)
        let xs = sizes.map(Double.init)
        let xmin = log10((xs.min() ?? 1) / 1.25), xmax = log10((xs.max() ?? 10) * 1.25)
        var ymin = log10((ys.min() ?? 1e-3) / 1.5), ymax = log10((ys.max() ?? 1) * 1.5)
        if ymax - ymin < 1 { let mid = (ymax + ymin) / 2; ymin = mid - 0.5; ymax = mid + 0.5 }
        func px(_ n: Double) -> Double { left + (log10(n) - xmin) / (xmax - xmin) * plotW }
        func py(_ e: Double) -> Double { top + (ymax - log10(e)) / (ymax - ymin) * plotH }
        func n2(_ v: Double) -> String { String(format: "%.2f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }

        var s = ""
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        let title = "\(URL(fileURLWithPath: input.path).lastPathComponent): \(operations.joined(separator: ", ")) (|G| = \(group.order))"
        s += "<text x=\"\(n2(left + plotW / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(esc(title))</text>\n"
        s += "<defs><clipPath id=\"plot\"><rect x=\"\(n2(left))\" y=\"\(n2(top))\" width=\"\(n2(plotW))\" height=\"\(n2(plotH))\"/></clipPath></defs>\n"
        // Decade grid and ticks.
        /// 10^k as "0.01", "1", "1000" for |k| ≤ 4, else "1e-7".
        func decade(_ k: Int) -> String {
            if k >= 0 && k <= 4 { return String(Int(pow(10, Double(k)))) }
            if k < 0 && k >= -4 { return "0." + String(repeating: "0", count: -k - 1) + "1" }
            return "1e\(k)"
        }
        for k in Int(ceil(xmin))...max(Int(ceil(xmin)), Int(floor(xmax))) where Double(k) >= xmin && Double(k) <= xmax {
            let x = px(pow(10, Double(k)))
            s += "<line x1=\"\(n2(x))\" y1=\"\(n2(top))\" x2=\"\(n2(x))\" y2=\"\(n2(top + plotH))\" stroke=\"#dddddd\"/>\n"
        }
        // Every measured size is labelled (a doubling grid has few).
        for n in sizes {
            let x = px(Double(n))
            s += "<line x1=\"\(n2(x))\" y1=\"\(n2(top + plotH))\" x2=\"\(n2(x))\" y2=\"\(n2(top + plotH + 5))\" stroke=\"#444444\"/>\n"
            s += "<text x=\"\(n2(x))\" y=\"\(n2(top + plotH + 18))\" text-anchor=\"middle\">\(n)</text>\n"
        }
        for k in Int(ceil(ymin))...max(Int(ceil(ymin)), Int(floor(ymax))) where Double(k) >= ymin && Double(k) <= ymax {
            let y = py(pow(10, Double(k)))
            s += "<line x1=\"\(n2(left))\" y1=\"\(n2(y))\" x2=\"\(n2(left + plotW))\" y2=\"\(n2(y))\" stroke=\"#dddddd\"/>\n"
            s += "<text x=\"\(n2(left - 8))\" y=\"\(n2(y + 4))\" text-anchor=\"end\">\(decade(k))</text>\n"
        }
        s += "<rect x=\"\(n2(left))\" y=\"\(n2(top))\" width=\"\(n2(plotW))\" height=\"\(n2(plotH))\" fill=\"none\" stroke=\"#444444\"/>\n"
        s += "<text x=\"\(n2(left + plotW / 2))\" y=\"\(n2(height - 18))\" text-anchor=\"middle\">training samples N (unique labels)</text>\n"
        s += "<text x=\"20\" y=\"\(n2(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(n2(top + plotH / 2)))\">test RMSE (\(esc(input.label)))</text>\n"

        s += "<g clip-path=\"url(#plot)\">\n"
        if let fit {
            let a = xs.min() ?? 1, b = xs.max() ?? 1
            s += "<line x1=\"\(n2(px(a)))\" y1=\"\(n2(py(fit.prefactor * pow(a, -fit.slope))))\" x2=\"\(n2(px(b)))\" y2=\"\(n2(py(fit.prefactor * pow(b, -fit.slope))))\" stroke=\"#888888\" stroke-width=\"1\" stroke-dasharray=\"2,3\"/>\n"
        }
        for (scheme, floor) in floors {
            let y = py(floor)
            s += "<line x1=\"\(n2(left))\" y1=\"\(n2(y))\" x2=\"\(n2(left + plotW))\" y2=\"\(n2(y))\" stroke=\"\(colour(scheme))\" stroke-width=\"1.5\" stroke-dasharray=\"7,5\"/>\n"
        }
        for c in curves {
            let col = colour(c.scheme)
            let pts = c.points.compactMap { p -> (Double, Double, Double?)? in
                guard let m = p.rmseMean, m > 0 else { return nil }
                return (Double(p.n), m, p.rmseSD)
            }
            if pts.count > 1 {
                s += "<polyline fill=\"none\" stroke=\"\(col)\" stroke-width=\"2\" points=\"\(pts.map { "\(n2(px($0.0))),\(n2(py($0.1)))" }.joined(separator: " "))\"/>\n"
            }
            for (n, m, sd) in pts {
                let x = px(n)
                if let sd, sd > 0 {
                    let hi = py(m + sd)
                    let lo = m - sd > 0 ? py(m - sd) : top + plotH
                    s += "<line x1=\"\(n2(x))\" y1=\"\(n2(hi))\" x2=\"\(n2(x))\" y2=\"\(n2(lo))\" stroke=\"\(col)\" stroke-width=\"1.2\"/>\n"
                    s += "<line x1=\"\(n2(x - 4))\" y1=\"\(n2(hi))\" x2=\"\(n2(x + 4))\" y2=\"\(n2(hi))\" stroke=\"\(col)\" stroke-width=\"1.2\"/>\n"
                    if m - sd > 0 { s += "<line x1=\"\(n2(x - 4))\" y1=\"\(n2(lo))\" x2=\"\(n2(x + 4))\" y2=\"\(n2(lo))\" stroke=\"\(col)\" stroke-width=\"1.2\"/>\n" }
                }
                s += "<circle cx=\"\(n2(x))\" cy=\"\(n2(py(m)))\" r=\"3.5\" fill=\"\(col)\"/>\n"
            }
        }
        s += "</g>\n"

        // Legend.
        var ly = top + 10
        let lx = left + plotW + 16
        for c in curves {
            let label = c.scheme == "baseline" ? "baseline" : "\(c.scheme) (\(c.factor) rows per sample)"
            s += "<line x1=\"\(n2(lx))\" y1=\"\(n2(ly))\" x2=\"\(n2(lx + 24))\" y2=\"\(n2(ly))\" stroke=\"\(colour(c.scheme))\" stroke-width=\"2\"/>\n"
            s += "<circle cx=\"\(n2(lx + 12))\" cy=\"\(n2(ly))\" r=\"3.5\" fill=\"\(colour(c.scheme))\"/>\n"
            s += "<text x=\"\(n2(lx + 30))\" y=\"\(n2(ly + 4))\">\(esc(label))</text>\n"
            ly += 20
        }
        if let fit {
            s += "<line x1=\"\(n2(lx))\" y1=\"\(n2(ly))\" x2=\"\(n2(lx + 24))\" y2=\"\(n2(ly))\" stroke=\"#888888\" stroke-dasharray=\"2,3\"/>\n"
            s += "<text x=\"\(n2(lx + 30))\" y=\"\(n2(ly + 4))\">baseline fit a·N^-b, b = \(esc(NumberFormatting.format(fit.slope, digits: 3)))</text>\n"
            ly += 20
        }
        for (scheme, _) in floors {
            s += "<line x1=\"\(n2(lx))\" y1=\"\(n2(ly))\" x2=\"\(n2(lx + 24))\" y2=\"\(n2(ly))\" stroke=\"\(colour(scheme))\" stroke-width=\"1.5\" stroke-dasharray=\"7,5\"/>\n"
            s += "<text x=\"\(n2(lx + 30))\" y=\"\(n2(ly + 4))\">\(esc(scheme)) floor (predicted)</text>\n"
            ly += 20
        }
        s += "</svg>\n"
        return s
    }
}
