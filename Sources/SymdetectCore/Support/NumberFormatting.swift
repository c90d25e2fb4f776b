import Foundation

/// Deterministic number formatting for reports and summaries.
///
/// `format` is C's `%.<digits>g` (shortest of fixed and exponent notation, trailing zeros
/// removed) in the POSIX locale — the decimal point is always ".", the minus sign ASCII "-" —
/// so the same value prints the same way on every machine. Zero of either sign prints "0";
/// NaN prints "nan", infinities "inf" and "-inf".
public enum NumberFormatting {
    public static func format(_ x: Double, digits: Int = 6) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        return String(format: "%.\(min(max(1, digits), 17))g", x)
    }

    /// "value ± stderr", the value rounded to the precision its standard error supports:
    /// the error gets `errorDigits` significant digits and the value is printed down to the
    /// same decimal place (e.g. −1820.31 ± 12.4 → "-1820 ± 12"), but with at least one and at
    /// most `digits` significant digits.
    ///
    /// A zero error (an exact fit) or a non-finite one keeps `digits` digits for the value;
    /// an undefined error (`nil`: the data do not determine the quantity) prints
    /// "value ± undefined".
    public static func formatWithError(_ value: Double, _ stderr: Double?, digits: Int = 6, errorDigits: Int = 2) -> String {
        guard let stderr else { return format(value, digits: digits) + " ± undefined" }
        let error = abs(stderr)
        guard value.isFinite, value != 0, error.isFinite, error > 0 else {
            return format(value, digits: digits) + " ± " + format(error, digits: errorDigits)
        }
        // Decimal exponents of the leading digits; the value keeps digits down to the place of
        // the error's last shown digit.
        let valueExponent = Int(floor(log10(abs(value))))
        let errorExponent = Int(floor(log10(error)))
        let valueDigits = min(max(1, valueExponent - errorExponent + errorDigits), max(1, digits))
        return format(value, digits: valueDigits) + " ± " + format(error, digits: errorDigits)
    }

    /// Values separated by ", ", each with `format`.
    public static func format(_ values: [Double], digits: Int = 6) -> String {
        values.map { format($0, digits: digits) }.joined(separator: ", ")
    }
}
