/// Receives the fields of one record from `CSVRecordScanner`.
protocol CSVFieldSink {
    /// Field `index` (0-based) of the current record, which started on or continues to physical
    /// line `line`. `bytes` are the field's contents: without the surrounding quotes for a quoted
    /// field (escaped quotes still doubled when `hasEscapedQuotes`), without surrounding blanks
    /// for an unquoted one. The fields of a record that turns out incomplete (`.needMoreBytes`)
    /// are delivered again after the refill, so a sink must not commit anything per field.
    mutating func field(index: Int, bytes: UnsafeBufferPointer<UInt8>, hasEscapedQuotes: Bool, line: Int)
}

/// What `CSVRecordScanner.scanRecord` found at a record boundary.
enum CSVScanStep: Equatable {
    /// A record of `fieldCount` fields ended; the next one starts at `next`.
    case record(next: Int, fieldCount: Int)
    /// A line of blanks only (spaces, tabs that do not separate, carriage returns).
    case blankLine(next: Int)
    /// Nothing but blanks remains.
    case endOfInput
    /// The record is cut off by the end of the window: refill and scan it again.
    case needMoreBytes
}

/// Splits records into fields, byte by byte, following RFC 4180 plus the blanks rules below.
///
/// - A record ends at LF; a CR before it is a blank and trimmed, so CRLF and LF files read alike.
/// - Separated modes (comma, tab, semicolon): every separator byte outside quotes ends a field, so
///   `a,,b` has an empty middle field and `a,b,` an empty last one. Blanks around a field are
///   trimmed (a tab is a blank unless it is the separator).
/// - Whitespace mode: runs of spaces and tabs separate; leading and trailing ones are ignored.
/// - A field that starts (after blanks) with `"` is quoted: it runs to the next lone `"`, may hold
///   separators and line ends, and `""` inside it stands for one `"`. After the closing quote only
///   blanks may follow before the separator or line end. A `"` inside an unquoted field is an
///   ordinary byte.
struct CSVRecordScanner {
    let path: String
    let delimiter: CSVDelimiter
    /// The separator byte; unused in whitespace mode.
    private let separator: UInt8
    private let splitsOnBlankRuns: Bool
    private let tabIsBlank: Bool

    init(path: String, delimiter: CSVDelimiter) {
        self.path = path
        self.delimiter = delimiter
        self.separator = delimiter.separatorByte ?? 0
        self.splitsOnBlankRuns = delimiter == .whitespace
        self.tabIsBlank = delimiter != .tab
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let quote = UInt8(ascii: "\"")

    @inline(__always)
    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || (tabIsBlank && byte == UInt8(ascii: "\t"))
    }

    /// Scans the record (or blank line) starting at `start`, a record boundary, in
    /// `base[start ..< end]`; `isAtEnd` says no bytes follow `end`. `line` is the physical line
    /// number at `start` and is advanced past every line feed consumed; after `.needMoreBytes` the
    /// caller must restore it.
    ///
    /// Throws `InputError.badData` for an unterminated quoted field or text after a closing quote.
    @inline(__always)
    func scanRecord<Sink: CSVFieldSink>(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, isAtEnd: Bool,
        line: inout Int, sink: inout Sink
    ) throws -> CSVScanStep {
        var p = start
        while p < end && isBlank(base[p]) { p += 1 }
        if p == end { return isAtEnd ? .endOfInput : .needMoreBytes }
        if base[p] == Self.lineFeed {
            line += 1
            return .blankLine(next: p + 1)
        }
        return splitsOnBlankRuns
            ? try scanBlankSeparatedFields(base, from: p, to: end, isAtEnd: isAtEnd, line: &line, sink: &sink)
            : try scanSeparatedFields(base, from: p, to: end, isAtEnd: isAtEnd, line: &line, sink: &sink)
    }

    @inline(__always)
    private func scanSeparatedFields<Sink: CSVFieldSink>(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, isAtEnd: Bool,
        line: inout Int, sink: inout Sink
    ) throws -> CSVScanStep {
        let separator = self.separator
        var p = start
        var fieldIndex = 0
        while true {
            while p < end && isBlank(base[p]) { p += 1 }
            let fieldLine = line
            if p < end && base[p] == Self.quote {
                guard let (content, escaped, afterQuote) = try scanQuoted(
                    base, openingAt: p, to: end, isAtEnd: isAtEnd, line: &line, fieldIndex: fieldIndex)
                else { return .needMoreBytes }
                p = afterQuote
                while p < end && isBlank(base[p]) { p += 1 }
                if p == end && !isAtEnd { return .needMoreBytes }
                if p < end && base[p] != separator && base[p] != Self.lineFeed {
                    throw textAfterClosingQuote(base, at: p, to: end, line: line, fieldIndex: fieldIndex)
                }
                sink.field(index: fieldIndex, bytes: content, hasEscapedQuotes: escaped, line: fieldLine)
            } else {
                let fieldStart = p
                p = Self.firstSeparatorOrLineFeed(base, from: p, to: end, separator: separator)
                if p == end && !isAtEnd { return .needMoreBytes }
                var fieldEnd = p
                while fieldEnd > fieldStart && isBlank(base[fieldEnd - 1]) { fieldEnd -= 1 }
                sink.field(index: fieldIndex, bytes: UnsafeBufferPointer(start: base + fieldStart, count: fieldEnd - fieldStart),
                           hasEscapedQuotes: false, line: fieldLine)
            }
            fieldIndex += 1
            if p == end { return .record(next: end, fieldCount: fieldIndex) }
            if base[p] == Self.lineFeed {
                line += 1
                return .record(next: p + 1, fieldCount: fieldIndex)
            }
            p += 1  // the separator
        }
    }

    @inline(__always)
    private func scanBlankSeparatedFields<Sink: CSVFieldSink>(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, isAtEnd: Bool,
        line: inout Int, sink: inout Sink
    ) throws -> CSVScanStep {
        // `start` is at the first non-blank byte of the line, not a line feed.
        var p = start
        var fieldIndex = 0
        while true {
            let fieldLine = line
            if base[p] == Self.quote {
                guard let (content, escaped, afterQuote) = try scanQuoted(
                    base, openingAt: p, to: end, isAtEnd: isAtEnd, line: &line, fieldIndex: fieldIndex)
                else { return .needMoreBytes }
                p = afterQuote
                while p < end && isBlank(base[p]) { p += 1 }
                if p == end && !isAtEnd { return .needMoreBytes }
                if p == afterQuote && p < end && base[p] != Self.lineFeed {
                    throw textAfterClosingQuote(base, at: p, to: end, line: line, fieldIndex: fieldIndex)
                }
                sink.field(index: fieldIndex, bytes: content, hasEscapedQuotes: escaped, line: fieldLine)
            } else {
                let fieldStart = p
                while p < end {
                    let byte = base[p]
                    if byte == Self.lineFeed || isBlank(byte) { break }
                    p += 1
                }
                if p == end && !isAtEnd { return .needMoreBytes }
                sink.field(index: fieldIndex, bytes: UnsafeBufferPointer(start: base + fieldStart, count: p - fieldStart),
                           hasEscapedQuotes: false, line: fieldLine)
                while p < end && isBlank(base[p]) { p += 1 }
                if p == end && !isAtEnd { return .needMoreBytes }
            }
            fieldIndex += 1
            if p == end { return .record(next: end, fieldCount: fieldIndex) }
            if base[p] == Self.lineFeed {
                line += 1
                return .record(next: p + 1, fieldCount: fieldIndex)
            }
        }
    }

    /// The offset of the first `separator` or line feed in `base[start ..< end]`, or `end`.
    /// Looks at eight bytes at a time: `(x - 0x01…01) & ~x & 0x80…80` has its lowest set bit in the
    /// first zero byte of x (Mycroft's test; higher bits may be spurious, so only the lowest counts).
    @inline(__always)
    static func firstSeparatorOrLineFeed(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, separator: UInt8
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let separators = ones &* UInt64(separator)
        let lineFeeds = ones &* UInt64(lineFeed)
        var p = start
        while p &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            let a = word ^ separators
            let b = word ^ lineFeeds
            let hits = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if hits != 0 { return p &+ hits.trailingZeroBitCount >> 3 }
            p &+= 8
        }
        while p < end {
            let byte = base[p]
            if byte == separator || byte == lineFeed { return p }
            p &+= 1
        }
        return end
    }

    /// Scans the quoted field whose opening quote is at `opening`. Returns its contents, whether it
    /// holds escaped quotes, and the offset after the closing quote; `nil` when the window ends
    /// before the field does (and more bytes may come).
    @inline(__always)
    private func scanQuoted(
        _ base: UnsafePointer<UInt8>, openingAt opening: Int, to end: Int, isAtEnd: Bool,
        line: inout Int, fieldIndex: Int
    ) throws -> (UnsafeBufferPointer<UInt8>, Bool, Int)? {
        let openingLine = line
        var p = opening + 1
        var escaped = false
        while true {
            guard p < end else {
                if !isAtEnd { return nil }
                throw InputError.badData(
                    path: path, line: openingLine, column: fieldIndex + 1, columnName: nil, text: nil,
                    reason: "quoted field is never closed (a '\"' is missing)")
            }
            let byte = base[p]
            if byte == Self.quote {
                if p + 1 < end {
                    if base[p + 1] == Self.quote {
                        escaped = true
                        p += 2
                        continue
                    }
                } else if !isAtEnd {
                    return nil  // cannot tell a closing quote from the first half of `""` yet
                }
                let content = UnsafeBufferPointer(start: base + opening + 1, count: p - opening - 1)
                return (content, escaped, p + 1)
            }
            if byte == Self.lineFeed { line += 1 }
            p += 1
        }
    }

    private func textAfterClosingQuote(
        _ base: UnsafePointer<UInt8>, at p: Int, to end: Int, line: Int, fieldIndex: Int
    ) -> InputError {
        var q = p
        while q < end && base[q] != Self.lineFeed && q - p < 40 {
            if splitsOnBlankRuns ? isBlank(base[q]) : base[q] == separator { break }
            q += 1
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + p, count: q - p), as: UTF8.self)
        return InputError.badData(
            path: path, line: line, column: fieldIndex + 1, columnName: nil,
            text: CSVReader.excerpt(CSVNumberParser.trimmingBlanks(text)),
            reason: "unexpected text after the closing quote of a quoted field")
    }

    /// The bytes of a field with every `""` turned into `"`.
    static func unescapedText(_ bytes: UnsafeBufferPointer<UInt8>, hasEscapedQuotes: Bool) -> String {
        guard hasEscapedQuotes else { return String(decoding: bytes, as: UTF8.self) }
        var result = [UInt8]()
        result.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            result.append(bytes[i])
            i += (bytes[i] == quote && i + 1 < bytes.count && bytes[i + 1] == quote) ? 2 : 1
        }
        return String(decoding: result, as: UTF8.self)
    }
}
