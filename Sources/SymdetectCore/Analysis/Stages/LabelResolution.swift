import Foundation

/// The resolution of the labels as written: half a unit in the last significant digit of the
/// largest-magnitude label, given the number of significant digits the file carries.
///
/// A Double read from a decimal of at most 15 significant digits prints back (Swift's shortest
/// round-trip form) as those same digits, trailing zeros dropped. The file's precision D is the
/// largest digit count seen (over a sample of at most `maxSamples` labels); the resolution is
/// ½·10^(⌊log₁₀ max|y|⌋ − D + 1). Labels written with 17 digits give a resolution near their ulp,
/// far below any tolerance. Breaking below this level cannot be told from the rounding of the
/// file (SPEC §2.6).
enum LabelResolution {
    static let maxSamples = 10_000

    static func estimate(_ labels: [Double]) -> Double? {
        let stride = max(1, labels.count / maxSamples)
        var digits = 0
        var largest = 0.0
        for i in Swift.stride(from: 0, to: labels.count, by: stride) {
            let y = labels[i]
            guard y.isFinite, y != 0 else { continue }
            digits = max(digits, significantDigits(y))
            largest = max(largest, abs(y))
        }
        for y in labels where y.isFinite { largest = max(largest, abs(y)) }
        guard digits > 0, largest > 0 else { return nil }
        return 0.5 * pow(10, floor(log10(largest)) - Double(digits) + 1)
    }

    /// Significant digits of y's shortest round-trip form, e.g. 1234.5 → 5, 1.5e-07 → 2, 0.0012 → 2.
    static func significantDigits(_ y: Double) -> Int {
        // The description of a finite Double is ASCII: digits, ".", "e", "-", "+". Its bytes
        // are read directly (no Character processing: 10⁴ labels are read per analysis).
        let text = "\(abs(y))"
        var utf8 = Array(text.utf8)
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) { utf8.removeSubrange(e...) }
        let digits = utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard let first = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }),
              let last = digits.lastIndex(where: { $0 != UInt8(ascii: "0") }) else { return 1 }
        return last - first + 1
    }
}
