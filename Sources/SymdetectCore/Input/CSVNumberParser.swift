/// Strict, correctly rounded parsing of decimal numbers from the bytes of a CSV cell.
///
/// Accepted grammar (blanks = spaces and tabs, allowed around the number):
///
///     [+-] digits [. digits] [(e|E) [+-] digits]     or     [+-] . digits [exponent]
///
/// i.e. at least one mantissa digit. Everything else is refused: NaN, Inf/Infinity, hexadecimal
/// (`0x1p3`), digit separators, decimal commas, empty cells — and values that overflow to ±∞
/// (`1e400`). Values below the smallest subnormal round to ±0 as IEEE 754 prescribes (`1e-400` is
/// read as 0); that is a finite, correctly rounded result, not an error.
///
/// Rounding: every accepted number is rounded to nearest, ties to even, exactly like `strtod`:
/// - significands of ≤ 19 digits go through Clinger's exact fast path (significand ≤ 2^53 and
///   |decimal exponent| ≤ 22: one IEEE multiplication or division of two exact values) or the
///   Eisel–Lemire algorithm with a 128-bit power-of-five table, proven correctly rounded for every
///   significand below 2^64 (Mushtak & Lemire 2023; see `CSVNumberParser+PowersOfFive.swift`);
/// - longer significands (digits beyond the 19th that are not all zeros) fall back to the standard
///   library's `Double(String)`, which is correctly rounded and independent of the C locale.
enum CSVNumberParser {
    /// The value of the cell `start ..< start + count`, or `nil` when it is not a finite decimal
    /// number (ask `rejectionReason` why).
    @inline(__always)
    static func parse(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
        var i = 0
        var end = count
        while i < end, isBlank(start[i]) { i += 1 }
        while end > i, isBlank(start[end - 1]) { end -= 1 }
        guard i < end else { return nil }
        let tokenStart = i

        var negative = false
        if start[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if start[i] == UInt8(ascii: "+") {
            i += 1
        }

        // value = significand × 10^exponent10, with the first 19 significant digits in
        // `significand`; `truncated` says a later nonzero digit was dropped.
        var significand: UInt64 = 0
        var significantDigits = 0
        var mantissaDigits = 0
        var exponent10 = 0
        var truncated = false

        while i < end {
            if significand != 0 && significantDigits <= 11 && i &+ 8 <= end,
               let eight = eightDigits(start + i) {
                significand = significand &* 100_000_000 &+ eight
                significantDigits &+= 8
                mantissaDigits &+= 8
                i &+= 8
                continue
            }
            let digit = start[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            if significand == 0 && digit == 0 {
                // leading zero: not significant
            } else if significantDigits < 19 {
                significand = significand &* 10 &+ UInt64(digit)
                significantDigits += 1
            } else {
                exponent10 += 1
                if digit != 0 { truncated = true }
            }
            mantissaDigits &+= 1
            i &+= 1
        }
        if i < end && start[i] == UInt8(ascii: ".") {
            i += 1
            while i < end {
                if significand != 0 && significantDigits <= 11 && i &+ 8 <= end,
                   let eight = eightDigits(start + i) {
                    significand = significand &* 100_000_000 &+ eight
                    significantDigits &+= 8
                    mantissaDigits &+= 8
                    exponent10 &-= 8
                    i &+= 8
                    continue
                }
                let digit = start[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if significand == 0 && digit == 0 {
                    exponent10 -= 1
                } else if significantDigits < 19 {
                    significand = significand &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    exponent10 -= 1
                } else if digit != 0 {
                    truncated = true
                }
                mantissaDigits &+= 1
                i &+= 1
            }
        }
        guard mantissaDigits > 0 else { return nil }

        if i < end && (start[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end && (start[i] == UInt8(ascii: "-") || start[i] == UInt8(ascii: "+")) {
                exponentNegative = start[i] == UInt8(ascii: "-")
                i += 1
            }
            var explicitExponent = 0
            var exponentDigits = 0
            while i < end {
                let digit = start[i] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                // Beyond ±10^6 every result is 0 or ∞ anyway; clamping avoids overflow.
                if explicitExponent < 1_000_000 { explicitExponent = explicitExponent * 10 + Int(digit) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent10 += exponentNegative ? -explicitExponent : explicitExponent
        }
        guard i == end else { return nil }

        if significand == 0 { return negative ? -0.0 : 0.0 }
        if !truncated {
            if significand <= 1 << 53 && exponent10 >= -22 && exponent10 <= 22 {
                // Clinger: both operands exact, so one correctly rounded operation.
                var value = Double(significand)
                if exponent10 < 0 {
                    value /= exactPowersOfTen[-exponent10]
                } else {
                    value *= exactPowersOfTen[exponent10]
                }
                return negative ? -value : value
            }
            guard let magnitude = eiselLemire(significand: significand, exponent10: exponent10) else {
                return nil  // overflow
            }
            return negative ? -magnitude : magnitude
        }
        return parseSlowly(UnsafeBufferPointer(start: start + tokenStart, count: end - tokenStart))
    }

    /// The value of the eight ASCII digits at `p`, or `nil` if any of the eight bytes is not a
    /// digit. SWAR (Lemire, "Faster integer parsing", 2018): a digit byte is 0x30–0x39, i.e. high
    /// nibble 3 and still high nibble 3 after adding 6; then three multiplications combine pairs,
    /// quadruples and the two halves (little-endian: the first digit is the lowest byte).
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        var v = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        guard v & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        v &-= 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)  // byte pairs: d0*10+d1 in bytes 0, 2, 4, 6
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 100 + (1_000_000 << 32)
        let mul2: UInt64 = 1 + (10_000 << 32)
        return ((v & mask) &* mul1 &+ ((v >> 16) & mask) &* mul2) >> 32
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// 10^0 ... 10^22, all exactly representable in binary64.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A syntactically valid token whose significand has more than 19 significant digits.
    @inline(never)
    static func parseSlowly(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let value = Double(String(decoding: token, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// significand × 10^exponent10 rounded to nearest-even, for 0 < significand < 2^64 holding the
    /// exact decimal significand; `nil` when the result overflows to infinity.
    ///
    /// Lemire, "Number Parsing at a Gigabyte per Second" (2021), algorithm of section 5 for
    /// binary64: multiply the normalized significand by a 128-bit approximation of 5^q, keep the top
    /// 54–55 bits, and round; the exact-tie test only matters for q in [-4, 23], where the product is
    /// exact. Mushtak & Lemire (2023) prove the two-word product always suffices, so no fallback.
    static func eiselLemire(significand: UInt64, exponent10 q: Int) -> Double? {
        if q < smallestPowerOfFive { return 0 }
        if q > largestPowerOfFive { return nil }
        let mantissaBits = 52
        let leadingZeros = significand.leadingZeroBitCount
        let w = significand << UInt64(leadingZeros)
        let index = 2 * (q - smallestPowerOfFive)
        var (high, low) = w.multipliedFullWidth(by: powersOfFive128[index])
        let precisionMask = UInt64.max >> UInt64(mantissaBits + 3)
        if high & precisionMask == precisionMask {
            let second = w.multipliedFullWidth(by: powersOfFive128[index + 1]).high
            low = low &+ second
            if second > low { high &+= 1 }
        }
        let upperBit = Int(high >> 63)
        let shift = upperBit + 64 - mantissaBits - 3
        var mantissa = high >> UInt64(shift)
        // floor(log2(10^q)) + 63 + ... : (217706 * q) >> 16 == floor(q * log2(5)) + q for |q| < 400.
        var power2 = ((217_706 * q) >> 16) + 63 + upperBit - leadingZeros + 1023

        if power2 <= 0 {
            // Subnormal or zero.
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << UInt64(mantissaBits)) ? 0 : 1
            return Double(bitPattern: UInt64(power2) << UInt64(mantissaBits) | mantissa)
        }
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 {
            // Exactly halfway between two doubles: round to even (down) instead of up.
            if mantissa << UInt64(shift) == high { mantissa &= ~1 }
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << UInt64(mantissaBits)) {
            mantissa = 1 << UInt64(mantissaBits)
            power2 += 1
        }
        mantissa &= ~(1 << UInt64(mantissaBits))
        if power2 >= 0x7FF { return nil }
        return Double(bitPattern: UInt64(power2) << UInt64(mantissaBits) | mantissa)
    }

    /// Why `parse` refused `cell`, as a short phrase for `InputError.badData`'s `reason`.
    static func rejectionReason(_ cell: UnsafeBufferPointer<UInt8>) -> String {
        let text = trimmingBlanks(String(decoding: cell, as: UTF8.self))
        if text.isEmpty { return "empty cell (every used cell needs a number)" }
        var unsigned = Substring(text.lowercased())
        if unsigned.first == "-" || unsigned.first == "+" { unsigned = unsigned.dropFirst() }
        if unsigned.hasPrefix("nan") { return "NaN is not allowed (cells must be finite decimal numbers)" }
        if unsigned == "inf" || unsigned == "infinity" || unsigned == "\u{221E}" {
            return "infinity is not allowed (cells must be finite decimal numbers)"
        }
        if unsigned.hasPrefix("0x") { return "hexadecimal numbers are not allowed (write decimal)" }
        if isWellFormedDecimal(unsigned) {
            return "number out of range (overflows to infinity; the largest finite value is about 1.8e308)"
        }
        if unsigned.contains(","), isWellFormedDecimal(Substring(String(unsigned.map { $0 == "," ? "." : $0 }))) {
            return "not a number (decimal commas are not supported; write '.')"
        }
        return "not a number"
    }

    /// `text` without leading and trailing spaces, tabs and carriage returns.
    static func trimmingBlanks(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isBlank($0) }),
              let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[first...last])
    }

    /// The grammar of `parse` without its range check (`unsigned` has no sign and no blanks).
    private static func isWellFormedDecimal(_ unsigned: Substring) -> Bool {
        var bytes = unsigned.utf8[...]
        func digits() -> Int {
            let n = bytes.prefix(while: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }).count
            bytes = bytes.dropFirst(n)
            return n
        }
        var mantissaDigits = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
