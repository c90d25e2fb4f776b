/// How the fields of a CSV line are separated.
///
/// `comma`, `tab` and `semicolon` separate fields by exactly one byte, so two adjacent separators
/// enclose an empty field. `whitespace` treats every run of spaces and tabs as one separator and
/// ignores leading and trailing blanks (the layout of Fortran-style and `numpy.savetxt` files).
public enum CSVDelimiter: Sendable, Equatable {
    case comma, tab, semicolon, whitespace

    /// Parses a `--delimiter` argument: `","`, `"comma"`, `"tab"`, `"\t"` (the two characters
    /// backslash and t, as typed in a shell, or a real tab), `";"`, `"semicolon"`, `"space"`,
    /// `"whitespace"` (a single space is accepted too). Case-insensitive; `nil` for anything else.
    public init?(argument: String) {
        switch argument.lowercased() {
        case ",", "comma": self = .comma
        case "tab", "\\t", "\t": self = .tab
        case ";", "semicolon": self = .semicolon
        case "space", "spaces", "whitespace", " ": self = .whitespace
        default: return nil
        }
    }

    /// The separator byte, or `nil` for `.whitespace` (any run of spaces and tabs).
    var separatorByte: UInt8? {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .tab: return UInt8(ascii: "\t")
        case .semicolon: return UInt8(ascii: ";")
        case .whitespace: return nil
        }
    }

    /// A name for messages.
    var displayName: String {
        switch self {
        case .comma: return "comma"
        case .tab: return "tab"
        case .semicolon: return "semicolon"
        case .whitespace: return "whitespace"
        }
    }

    /// Picks the delimiter of a header line: tab if the line has one outside quotes, else
    /// semicolon, else comma, else whitespace. A tab wins over the others because a tab-separated
    /// header may well contain commas in its names (`"E, kcal/mol"`); semicolon wins over comma for
    /// the same reason in European spreadsheets' exports.
    ///
    /// `line` is the header line without its line end. Double quotes toggle "inside quotes"; an
    /// escaped quote (`""`) toggles twice, so it needs no special case.
    static func detect(headerLine line: UnsafeBufferPointer<UInt8>) -> CSVDelimiter {
        var insideQuotes = false
        var sawSemicolon = false
        var sawComma = false
        for byte in line {
            switch byte {
            case UInt8(ascii: "\""): insideQuotes.toggle()
            case UInt8(ascii: "\t") where !insideQuotes: return .tab
            case UInt8(ascii: ";") where !insideQuotes: sawSemicolon = true
            case UInt8(ascii: ",") where !insideQuotes: sawComma = true
            default: break
            }
        }
        if sawSemicolon { return .semicolon }
        if sawComma { return .comma }
        return .whitespace
    }
}
