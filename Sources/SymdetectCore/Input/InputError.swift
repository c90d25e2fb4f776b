/// Why a dataset could not be read. Every case renders as one line naming the file and, where
/// there is one, the line, column and offending text.
public enum InputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file cannot be opened or read (exit code 66).
    case unreadable(path: String, reason: String)
    /// The file was read but its content is not a usable dataset (exit code 65).
    /// `line` and `column` are 1-based; `column` counts fields, and `columnName` names it when known.
    case badData(path: String, line: Int?, column: Int?, columnName: String?, text: String?, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read file: \(reason)"
        case let .badData(path, line, column, columnName, text, reason):
            var location = path
            if let line { location += ":\(line)" }
            if let column { location += ":\(column)" }
            var message = "\(location): \(reason)"
            if let columnName { message += " (column '\(columnName)')" }
            if let text { message += ": '\(text)'" }
            return message
        }
    }

    /// The sysexits code a command line should end with.
    public var exitCode: Int32 {
        switch self {
        case .unreadable: return 66
        case .badData: return 65
        }
    }
}
