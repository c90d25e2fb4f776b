import Foundation
import SymdetectCore

/// A minimal, deterministic SVG writer: elements are appended as text with coordinates rounded
/// to 0.01 px (`%.2f`, POSIX), so the same plot always gives the same bytes.
struct SVGDocument {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func number(_ x: Double) -> String {
        // "%.2f" trimmed: "12.50" → "12.5", "12.00" → "12", "-0.00" → "0" (shorter files,
        // still deterministic). A figure writes ~10⁵ numbers: they are rounded here rather than
        // through String(format:), with the same result (see `hundredths`).
        guard let n = hundredths(x) else { return trimmed(String(format: "%.2f", x)) }
        let magnitude = n.magnitude
        let whole = magnitude / 100, fraction = Int(magnitude % 100)
        var s = x.sign == .minus && magnitude != 0 ? "-" : ""
        s += String(whole)
        if fraction != 0 {
            s += fraction % 10 == 0 ? "." + String(fraction / 10) : (fraction < 10 ? ".0" : ".") + String(fraction)
        }
        return s
    }

    /// x·100 rounded to the nearest integer, ties to even, from the exact binary value of x — what
    /// printf's "%.2f" prints (glibc rounds the exact value in the current mode, to nearest
    /// even) — or nil when |x·100| ≥ 2⁵² or x is not finite. y = fl(100x) is within half an ulp of
    /// 100x, so the answer is ⌊y⌋ or ⌊y⌋ + 1; the sign of 100x − (⌊y⌋ + ½), computed by one fused
    /// multiply-add (exact before its single rounding, which keeps the sign and zero), decides.
    static func hundredths(_ x: Double) -> Int64? {
        guard x.isFinite else { return nil }
        let y = x * 100
        guard abs(y) < 0x1p52 else { return nil }
        let low = y.rounded(.down)
        let half = low + 0.5
        let d = (-half).addingProduct(x, 100)
        let n: Double
        if d > 0 { n = low + 1 } else if d < 0 { n = low } else { n = low.truncatingRemainder(dividingBy: 2) == 0 ? low : low + 1 }
        return Int64(n)
    }

    private static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        if t.contains(".") {
            while t.hasSuffix("0") { t = t.dropLast() }
            if t.hasSuffix(".") { t = t.dropLast() }
        }
        return t == "-0" ? "0" : String(t)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    mutating func raw(_ element: String) { body.append(element) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, style: String) {
        let n = Self.number
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" \(style)/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, style: String) {
        let n = Self.number
        body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" \(style)/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, style: String) {
        let n = Self.number
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" \(style)/>")
    }

    /// A polyline through `points` (already in pixels); nothing when fewer than two.
    mutating func polyline(_ points: [(Double, Double)], style: String) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body.append("<polyline fill=\"none\" points=\"\(list)\" \(style)/>")
    }

    /// Plain text (escaped). `anchor`: start, middle or end.
    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Double = 12,
                       style: String = "", rotate: Bool = false) {
        let n = Self.number
        let transform = rotate ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
        let extra = style.isEmpty ? "" : " " + style
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\"\(transform)\(extra)>\(Self.escape(content))</text>")
    }

    /// "10" with a superscript exponent, e.g. 10⁻³, as SVG markup.
    mutating func powerOfTen(_ x: Double, _ y: Double, exponent: Int, anchor: String, size: Double = 12) {
        let n = Self.number
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\">10<tspan dy=\"-5\" font-size=\"\(n(size * 0.75))\">\(exponent)</tspan></text>")
    }

    var text: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"white\"/>\n"
        for element in body { out += element + "\n" }
        out += "</svg>\n"
        return out
    }
}

/// A log₁₀ axis mapping [10^lo, 10^hi] onto a pixel interval.
struct LogAxis {
    let lo: Int
    let hi: Int
    let pixelStart: Double
    let pixelEnd: Double

    func pixel(_ value: Double) -> Double {
        let t = (log10(value) - Double(lo)) / Double(hi - lo)
        return pixelStart + t * (pixelEnd - pixelStart)
    }

    func contains(_ value: Double) -> Bool {
        value > 0 && value.isFinite && log10(value) >= Double(lo) - 1e-12 && log10(value) <= Double(hi) + 1e-12
    }

    /// Every decade, or every second/third/... one so that at most `maxLabels` are labelled.
    func labelledDecades(maxLabels: Int = 9) -> [Int] {
        let span = hi - lo
        let step = max(1, Int((Double(span) / Double(maxLabels)).rounded(.up)))
        return stride(from: lo, through: hi, by: step).map { $0 }
    }

    /// Decade range [lo, hi] covering `values` (positive, finite), at least one decade wide.
    static func decades(covering values: [Double]) -> (Int, Int) {
        let logs = values.filter { $0 > 0 && $0.isFinite }.map(log10)
        guard let mn = logs.min(), let mx = logs.max() else { return (0, 1) }
        var lo = Int(floor(mn + 1e-9)), hi = Int(ceil(mx - 1e-9))
        if hi <= lo { hi = lo + 1 }
        return (lo, hi)
    }
}

/// A linear axis with "nice" ticks (1, 2, 5 × 10^k).
struct LinearAxis {
    let lo: Double
    let hi: Double
    let pixelStart: Double
    let pixelEnd: Double

    func pixel(_ value: Double) -> Double {
        pixelStart + (value - lo) / (hi - lo) * (pixelEnd - pixelStart)
    }

    /// Tick values: the 1-2-5 step giving closest to `target` intervals.
    func ticks(target: Int = 6) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        // The 1-2-5 step closest to the raw step on a log scale.
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) }!
        var out: [Double] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + 1e-9 * step {
            out.append(abs(k * step) < 1e-12 * step ? 0 : k * step)
            k += 1
        }
        return out
    }

    /// A tick label with as few digits as the step needs.
    static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let mag = abs(value)
        if mag >= 1e5 || mag < 1e-3 { return NumberFormatting.format(value, digits: 3) }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }
}
