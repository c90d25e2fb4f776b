import Foundation
import SymdetectCore

/// The learning curves of an analysis as a log–log SVG: where the curve was measured, the
/// measured test RMSE per size (mean, with a bar of ± one standard deviation over the splits)
/// of the baseline and of each measured augmentation; the baseline e(N) = a·N^(−b),
/// the recommended augmentation sqrt((a·(|G|N)^(−b))² + floor²), each approximate operation on
/// its own (orbit size, best floor), the floors as dashed lines, crossovers as open circles and
/// the dataset's size as a dotted vertical line. Every value comes from the `AnalysisResult` and
/// its `LearningCurveModel`.
public struct LearningCurvePlot {
    public let result: AnalysisResult
    /// Label units for the axis title (e.g. "cm^-1"), or nil.
    public let units: String?

    public init(result: AnalysisResult, units: String?) {
        self.result = result
        self.units = units
    }

    /// One curve of the figure.
    struct Curve {
        let label: String
        let color: String
        let orbitSize: Double
        let floor: Double
        let crossover: Double?
        let dashed: Bool
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    /// The augmented curves drawn: the recommendation, then approximate operations on their own
    /// (at most four), skipping one identical to the recommendation.
    func curves() -> [Curve] {
        var out: [Curve] = []
        let rec = result.recommendation
        if let gain = rec.gainFactor, gain > 1, !rec.operations.isEmpty {
            let names = rec.operationNames.joined(separator: ", ")
            let label = "augmented: \(names) (\(rec.scheme.rawValue), ×\(gain))"
            out.append(Curve(label: label, color: Self.palette[0], orbitSize: Double(gain), floor: rec.floor,
                             crossover: rec.crossoverN, dashed: false))
        }
        let approximate = result.operations.filter { $0.verdict == .approximate && $0.orbitSize != nil && $0.bestFloor != nil }
        for (k, op) in approximate.prefix(4).enumerated() {
            if rec.operationNames == [op.name] { continue }
            let scheme = op.bestScheme?.rawValue ?? "naive"
            out.append(Curve(label: "\(op.name) alone (\(scheme), ×\(op.orbitSize!))", color: Self.palette[(k + 1) % Self.palette.count],
                             orbitSize: Double(op.orbitSize!), floor: op.bestFloor!, crossover: op.crossoverN, dashed: true))
        }
        // With nothing recommended, the two absent operations with the lowest floors show why:
        // their curves cross the baseline early.
        if approximate.isEmpty && rec.operations.isEmpty {
            let absent = result.operations.filter { $0.verdict == .absent && ($0.orbitSize ?? 0) > 1 && ($0.bestFloor ?? 0) > 0 }
                .enumerated().sorted { ($0.element.bestFloor!, $0.offset) < ($1.element.bestFloor!, $1.offset) }.map(\.element)
            for op in absent.prefix(2) {
                let n = Double(op.orbitSize!), floor = op.bestFloor!
                let scheme = op.bestScheme?.rawValue ?? "naive"
                out.append(Curve(label: "\(op.name): absent, not recommended (\(scheme), ×\(op.orbitSize!))", color: "#8c8c8c",
                                 orbitSize: n, floor: floor,
                                 crossover: result.learningCurve.crossover(orbitSize: n, floor: floor), dashed: true))
            }
        }
        return out
    }

    public var svg: String {
        let model = result.learningCurve
        let curves = curves()
        let n0 = Double(max(result.rowCount, 1))
        // N range: two decades below the data to two above the furthest crossover or the data.
        let crossovers = curves.compactMap { $0.crossover }.filter { $0.isFinite && $0 > 0 }
        let far = ([n0] + crossovers).max()!
        let measured = result.measuredLearningCurve
        let firstMeasured = Double(measured?.sizes.first ?? Int(n0))
        var (nLo, nHi) = LogAxis.decades(covering: [max(1, min(n0 / 100, firstMeasured / 2)), far * 100])
        if nHi - nLo > 9 { nLo = nHi - 9 }
        nLo = max(nLo, 0)
        if nHi <= nLo { nHi = nLo + 1 }
        // Error range: the curves over the N range and the floors.
        var values: [Double] = [model.baseline(pow(10, Double(nLo))), model.baseline(pow(10, Double(nHi)))]
        for c in curves {
            values.append(model.augmented(pow(10, Double(nHi)), orbitSize: c.orbitSize, floor: c.floor))
            if c.floor > 0 { values.append(c.floor) }
        }
        let series = measuredSeries(curves)
        for (_, _, s) in series {
            for p in s.points {
                guard let mean = p.rmseMean, mean > 0 else { continue }
                values.append(mean * 1.3)
                values.append(mean / 1.3)
            }
        }
        var (eLo, eHi) = LogAxis.decades(covering: values)
        if eHi - eLo > 10 { eLo = eHi - 10 }

        // Legend entries (drawn below the plot, where they hide no curve or point).
        var entries: [(String, String, String)] = [(measured?.model != nil ? "baseline: fitted a·N^(−b)" : "baseline (no augmentation)", "#222222", "")]
        if !series.isEmpty {
            entries.append((series.count > 1 ? "measured test RMSE, mean ± sd (filled: baseline; open: augmented)" : "measured test RMSE, mean ± sd",
                            "#222222", series.count > 1 ? "points" : "point"))
        }
        for c in curves {
            entries.append((c.label, c.color, c.dashed ? "9,3,2,3" : ""))
        }
        if curves.contains(where: { $0.floor > 0 }) { entries.append(("error floor (in its curve's colour)", "#777777", "6,4")) }
        if curves.contains(where: { $0.crossover != nil }) { entries.append(("crossover N*: augmentation stops helping", "", "circle")) }
        if curves.isEmpty {
            let why = result.recommendation.gainFactor == nil && !result.recommendation.operations.isEmpty
                ? "continuous group: the gain is not a finite factor, no augmented curve"
                : "no augmentation recommended"
            entries.append((why, "", "none"))
        }
        let width = 720.0, plotHeight = 460.0
        let height = plotHeight + 14 + 18 * Double(entries.count)
        let left = 78.0, right = 24.0, top = 46.0, bottom = 62.0
        var svg = SVGDocument(width: width, height: height)
        let xAxis = LogAxis(lo: nLo, hi: nHi, pixelStart: left, pixelEnd: width - right)
        let yAxis = LogAxis(lo: eLo, hi: eHi, pixelStart: plotHeight - bottom, pixelEnd: top)
        let plotBottom = plotHeight - bottom, plotRight = width - right

        let stderr = measured?.model != nil ? measured?.fit?.slopeStandardError.map { " ± " + NumberFormatting.format($0, digits: 2) } ?? "" : ""
        let title = measured?.model != nil ? "Measured learning curves; fitted e(N) = a·N^(−b)" : "Predicted learning curves, e(N) = a·N^(−b)"
        svg.text(width / 2, 24, title + ", a = \(NumberFormatting.format(model.prefactor, digits: 3)), b = \(NumberFormatting.format(model.slope, digits: 3))" + stderr,
                 anchor: "middle", size: 15, style: "font-weight=\"bold\"")
        Self.drawLogFrame(&svg, xAxis: xAxis, yAxis: yAxis, left: left, top: top, right: plotRight, bottom: plotBottom)
        svg.text((left + plotRight) / 2, plotHeight - 14, "unique labelled training samples N", anchor: "middle", size: 13)
        let unitText = units.map { " (\($0))" } ?? " (label units)"
        svg.text(20, (top + plotBottom) / 2, (measured == nil ? "predicted test RMSE" : "test RMSE") + unitText, anchor: "middle", size: 13, rotate: true)

        svg.raw("<clipPath id=\"plot\"><rect x=\"\(SVGDocument.number(left))\" y=\"\(SVGDocument.number(top))\" width=\"\(SVGDocument.number(plotRight - left))\" height=\"\(SVGDocument.number(plotBottom - top))\"/></clipPath>")
        svg.raw("<g clip-path=\"url(#plot)\">")
        // Dataset size.
        if xAxis.contains(n0) {
            svg.line(xAxis.pixel(n0), top, xAxis.pixel(n0), plotBottom, style: "stroke=\"#777777\" stroke-width=\"1\" stroke-dasharray=\"2,3\"")
        }
        // Floors.
        for c in curves where c.floor > 0 && yAxis.contains(c.floor) {
            svg.line(left, yAxis.pixel(c.floor), plotRight, yAxis.pixel(c.floor),
                     style: "stroke=\"\(c.color)\" stroke-width=\"1\" stroke-dasharray=\"6,4\" opacity=\"0.8\"")
        }
        func sampled(_ f: (Double) -> Double) -> [(Double, Double)] {
            let steps = 120
            return (0...steps).compactMap { i in
                let n = pow(10, Double(nLo) + Double(nHi - nLo) * Double(i) / Double(steps))
                let e = f(n)
                guard e > 0, e.isFinite else { return nil }
                let y = min(max(yAxis.pixel(e), top - 20), plotBottom + 20)
                return (xAxis.pixel(n), y)
            }
        }
        svg.polyline(sampled { model.baseline($0) }, style: "stroke=\"#222222\" stroke-width=\"2.2\"")
        for c in curves {
            let dash = c.dashed ? " stroke-dasharray=\"9,3,2,3\"" : ""
            svg.polyline(sampled { model.augmented($0, orbitSize: c.orbitSize, floor: c.floor) },
                         style: "stroke=\"\(c.color)\" stroke-width=\"2\"\(dash)")
        }
        for c in curves {
            guard let x = c.crossover, xAxis.contains(x) else { continue }
            let e = model.baseline(x)
            guard yAxis.contains(e) else { continue }
            svg.circle(xAxis.pixel(x), yAxis.pixel(e), r: 5, style: "fill=\"white\" stroke=\"\(c.color)\" stroke-width=\"2\"")
        }
        // Measured points: mean with a bar of ± one sd (the lower end kept above mean/10 on the log axis).
        for (color, filled, s) in series {
            for p in s.points {
                guard let mean = p.rmseMean, mean > 0, xAxis.contains(Double(p.n)) else { continue }
                let x = xAxis.pixel(Double(p.n))
                let sd = p.rmseSD ?? 0
                let lo = max(mean - sd, mean / 10), hi = mean + sd
                if sd > 0 {
                    svg.line(x, yAxis.pixel(lo), x, yAxis.pixel(hi), style: "stroke=\"\(color)\" stroke-width=\"1.4\"")
                    for e in [lo, hi] { svg.line(x - 3, yAxis.pixel(e), x + 3, yAxis.pixel(e), style: "stroke=\"\(color)\" stroke-width=\"1.4\"") }
                }
                svg.circle(x, yAxis.pixel(mean), r: 3.5, style: filled ? "fill=\"\(color)\"" : "fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.6\"")
            }
        }
        svg.raw("</g>")
        if xAxis.contains(n0) {
            svg.text(xAxis.pixel(n0) + 4, plotBottom - 6, "this dataset, N = \(result.rowCount)", size: 11, style: "fill=\"#555555\"")
        }

        let legendWidth = min(width - left - right, 56 + 6.9 * Double(entries.map { $0.0.count }.max() ?? 20))
        let legendX = left, legendY = plotHeight
        svg.rect(legendX, legendY, legendWidth, 10 + 18 * Double(entries.count), style: "fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"")
        for (k, entry) in entries.enumerated() {
            let y = legendY + 18 + 18 * Double(k)
            switch entry.2 {
            case "circle":
                svg.circle(legendX + 22, y - 4, r: 5, style: "fill=\"white\" stroke=\"#555555\" stroke-width=\"2\"")
            case "none":
                break
            case "point":
                svg.circle(legendX + 22, y - 4, r: 3.5, style: "fill=\"#222222\"")
            case "points":
                svg.circle(legendX + 16, y - 4, r: 3.5, style: "fill=\"#222222\"")
                svg.circle(legendX + 28, y - 4, r: 3.5, style: "fill=\"white\" stroke=\"#555555\" stroke-width=\"1.6\"")
            default:
                let dash = entry.2.isEmpty ? "" : " stroke-dasharray=\"\(entry.2)\""
                svg.line(legendX + 8, y - 4, legendX + 36, y - 4, style: "stroke=\"\(entry.1)\" stroke-width=\"2\"\(dash)")
            }
            svg.text(legendX + 44, y, entry.0, size: 11.5)
        }
        return svg.text
    }

    /// The measured series to draw as points, each in its curve's colour: the baseline (filled),
    /// then every measured augmentation (open).
    func measuredSeries(_ curves: [Curve]) -> [(String, Bool, LearningCurveSeries)] {
        guard let m = result.measuredLearningCurve else { return [] }
        var out: [(String, Bool, LearningCurveSeries)] = [("#222222", true, m.baseline)]
        for a in m.augmentations {
            let color: String
            switch a.role {
            case .recommendation: color = curves.first { !$0.dashed }?.color ?? Self.palette[0]
            case .nearTarget: color = curves.first { $0.label.hasPrefix("\(a.operations.joined(separator: ", ")) alone") }?.color ?? Self.palette[1]
            }
            out.append((color, false, a.series))
        }
        return out
    }

    /// Frame, decade grid lines, minor ticks at 2…9 × 10^k and labels 10^k on both axes.
    static func drawLogFrame(_ svg: inout SVGDocument, xAxis: LogAxis, yAxis: LogAxis,
                             left: Double, top: Double, right: Double, bottom: Double) {
        let grid = "stroke=\"#e3e3e3\" stroke-width=\"1\""
        let tick = "stroke=\"#333333\" stroke-width=\"1\""
        let xLabels = Set(xAxis.labelledDecades())
        for k in xAxis.lo...xAxis.hi {
            let x = xAxis.pixel(pow(10, Double(k)))
            svg.line(x, top, x, bottom, style: grid)
            svg.line(x, bottom, x, bottom + 6, style: tick)
            if xLabels.contains(k) { svg.powerOfTen(x, bottom + 22, exponent: k, anchor: "middle") }
            if k < xAxis.hi {
                for m in 2...9 {
                    let xm = xAxis.pixel(Double(m) * pow(10, Double(k)))
                    svg.line(xm, bottom, xm, bottom + 3, style: tick)
                }
            }
        }
        let yLabels = Set(yAxis.labelledDecades())
        for k in yAxis.lo...yAxis.hi {
            let y = yAxis.pixel(pow(10, Double(k)))
            svg.line(left, y, right, y, style: grid)
            svg.line(left - 6, y, left, y, style: tick)
            if yLabels.contains(k) { svg.powerOfTen(left - 10, y + 4, exponent: k, anchor: "end") }
            if k < yAxis.hi {
                for m in 2...9 {
                    let ym = yAxis.pixel(Double(m) * pow(10, Double(k)))
                    svg.line(left - 3, ym, left, ym, style: tick)
                }
            }
        }
        svg.rect(left, top, right - left, bottom - top, style: "fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"")
    }
}
