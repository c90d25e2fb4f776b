import Foundation
import SymdetectCore

/// The mirror test of one operation as an SVG scatter plot: for each usable sample, the
/// leave-one-out residual y − ŷ₋ᵢ(x) (horizontal) against the mirror residual y − ŷ(g·x)
/// (vertical). Under an exact symmetry both are interpolation error plus noise and the cloud
/// is as tall as it is wide; a breaking stretches it vertically. The dashed diagonals mark
/// |mirror| = |leave-one-out|. Residuals are in label units, or in log(label) when the tests ran
/// on the log scale.
public struct MirrorResidualPlot {
    public let result: AnalysisResult
    public let operation: OperationResult
    public let units: String?
    /// At most this many points are drawn (every k-th pair, deterministic).
    public static let maximumPoints = 1500

    public init(result: AnalysisResult, operation: OperationResult, units: String?) {
        self.result = result
        self.operation = operation
        self.units = units
    }

    public var svg: String {
        let transform = result.transform
        let pairs = operation.mirror.pairs
        let stride = max(1, (pairs.count + Self.maximumPoints - 1) / Self.maximumPoints)
        let shown = Swift.stride(from: 0, to: pairs.count, by: stride).map { pairs[$0] }
        let points: [(Double, Double)] = shown.map { p in
            let y = transform.apply(p.label)
            return (y - transform.apply(p.looPrediction), y - transform.apply(p.imagePrediction))
        }.filter { $0.0.isFinite && $0.1.isFinite }
        // Symmetric range from the 99th percentile of |residual|, so a few outliers cannot
        // squash the cloud; points beyond it are drawn on the border as open circles.
        let magnitudes = points.flatMap { [abs($0.0), abs($0.1)] }.sorted()
        var range = magnitudes.isEmpty ? 1 : magnitudes[min(magnitudes.count - 1, Int(Double(magnitudes.count) * 0.99))]
        if !(range > 0) { range = magnitudes.last ?? 1 }
        if !(range > 0) { range = 1 }
        range *= 1.1

        let size = 540.0, left = 86.0, top = 64.0, right = 24.0, bottom = 62.0
        let width = size, height = size
        let plotRight = width - right, plotBottom = height - bottom
        var svg = SVGDocument(width: width, height: height)
        let x = LinearAxis(lo: -range, hi: range, pixelStart: left, pixelEnd: plotRight)
        let y = LinearAxis(lo: -range, hi: range, pixelStart: plotBottom, pixelEnd: top)
        svg.text(width / 2, 24, "Mirror test: \(operation.name)", anchor: "middle", size: 15, style: "font-weight=\"bold\"")
        var subtitle: [String] = ["\(operation.mirror.usable) of \(operation.mirror.tested) samples usable"]
        if let f = operation.mirror.exceedFraction {
            subtitle.append("mirror residual larger in \(NumberFormatting.format(100 * f, digits: 3))% (50% if symmetric)")
        }
        svg.text(width / 2, 44, subtitle.joined(separator: "; "), anchor: "middle", size: 11.5, style: "fill=\"#444444\"")

        let ticks = x.ticks(target: 6)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : range
        for t in ticks {
            svg.line(x.pixel(t), top, x.pixel(t), plotBottom, style: "stroke=\"#e3e3e3\" stroke-width=\"1\"")
            svg.line(x.pixel(t), plotBottom, x.pixel(t), plotBottom + 6, style: "stroke=\"#333333\"")
            svg.text(x.pixel(t), plotBottom + 20, LinearAxis.label(t, step: step), anchor: "middle", size: 11)
            svg.line(left, y.pixel(t), plotRight, y.pixel(t), style: "stroke=\"#e3e3e3\" stroke-width=\"1\"")
            svg.line(left - 6, y.pixel(t), left, y.pixel(t), style: "stroke=\"#333333\"")
            svg.text(left - 9, y.pixel(t) + 4, LinearAxis.label(t, step: step), anchor: "end", size: 11)
        }
        svg.line(x.pixel(-range), y.pixel(-range), x.pixel(range), y.pixel(range), style: "stroke=\"#888888\" stroke-dasharray=\"6,4\"")
        svg.line(x.pixel(-range), y.pixel(range), x.pixel(range), y.pixel(-range), style: "stroke=\"#888888\" stroke-dasharray=\"6,4\"")
        var clipped = 0
        for (px, py) in points {
            let cx = min(max(px, -range), range), cy = min(max(py, -range), range)
            if cx != px || cy != py {
                clipped += 1
                svg.circle(x.pixel(cx), y.pixel(cy), r: 2.6, style: "fill=\"none\" stroke=\"#d62728\" stroke-width=\"1\"")
            } else {
                svg.circle(x.pixel(cx), y.pixel(cy), r: 2.2, style: "fill=\"#1f77b4\" fill-opacity=\"0.45\"")
            }
        }
        svg.rect(left, top, plotRight - left, plotBottom - top, style: "fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"")
        let scale = transform == .log ? "log(\(result.labelName))" : result.labelName
        let unitText = transform == .log ? "" : (units.map { " (\($0))" } ?? "")
        svg.text((left + plotRight) / 2, height - 16, "leave-one-out residual of \(scale)" + unitText, anchor: "middle", size: 13)
        svg.text(22, (top + plotBottom) / 2, "mirror residual of \(scale)" + unitText, anchor: "middle", size: 13, rotate: true)
        if clipped > 0 {
            svg.text(plotRight - 6, top + 16, "\(clipped) outlying point\(clipped == 1 ? "" : "s") on the border", anchor: "end", size: 11, style: "fill=\"#d62728\"")
        }
        return svg.text
    }
}
