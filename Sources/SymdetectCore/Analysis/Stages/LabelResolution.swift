import Foundation

/// The resolution of the labels as written: half a unit in the last significant digit, the
/// largest over the labels (a seeded sample of at most `maxSamples` of them).
///
/// A Double read from a decimal of at most 15 significant digits prints back (Swift's shortest
/// round-trip form) as those same digits, so the last printed digit is the last written one.
/// Labels written with 17 digits give a resolution near their ulp, far below any tolerance.
/// Breaking below this level cannot be told from the rounding of the file (SPEC §2.6).
enum LabelResolution {
    static let maxSamples = 10_000

    static func estimate(_ labels: [Double]) -> Double? {
        let stride = max(1, labels.count / maxSamples)
        var worst: Double?
        for i in Swift.stride(from: 0, to: labels.count, by: stride) {
            let y = labels[i]
            guard y.isFinite, y != 0, let e = lastDigitExponent(y) else { continue }
            let half = 0.5 * pow(10, Double(e))
            worst = max(worst ?? 0, half)
        }
        return worst
    }

    /// The decimal exponent of the last significant digit of y's shortest round-trip form,
    /// e.g. 1234.5 → −1, 1.5e-07 → −8, 300.0 → 0 (trailing integer zeros are taken as written).
    static func lastDigitExponent(_ y: Double) -> Int? {
        let text = "\(abs(y))"
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        guard let mantissa = parts.first else { return nil }
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var fraction = pieces.count > 1 ? String(pieces[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return exponent - fraction.count
    }
}
