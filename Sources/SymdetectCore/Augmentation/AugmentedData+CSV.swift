import Foundation

extension AugmentedData {
    /// Writes the rows as a comma-separated file: a header, then one line per row with every
    /// number printed to 17 significant digits (`%.17g`, enough to read back the same `Double`).
    ///
    /// - Parameters:
    ///   - columns: the output column order, a permutation of the feature names and the label
    ///     name (default: features, then label).
    ///   - provenance: append a last column `operation` naming the element that produced the row.
    public func writeCSV(to writer: AtomicFile.Writer, columns: [String]? = nil, provenance: Bool = false) throws {
        let names = columns ?? (table.featureNames + [table.labelName])
        let sources: [[Double]] = names.map { name in
            if name == table.labelName { return table.labels }
            guard let j = table.index(ofFeature: name) else { preconditionFailure("unknown column '\(name)'") }
            return table.features[j]
        }
        var header = names.map(Self.csvField)
        if provenance { header.append("operation") }
        try writer.write(header.joined(separator: ",") + "\n")
        let elementNames = group.elements.map { Self.csvField($0.name) }
        var line = ""
        for i in 0..<table.count {
            line.removeAll(keepingCapacity: true)
            for (k, column) in sources.enumerated() {
                if k > 0 { line += "," }
                line += NumberFormatting.format(column[i], digits: 17)
            }
            if provenance { line += "," + elementNames[elementIndices[i]] }
            line += "\n"
            try writer.write(line)
        }
    }

    /// A field quoted as RFC 4180 asks when it holds a comma, a quote, a line break or
    /// surrounding blanks (element names such as "reflect(x)*swap(x,y)" do).
    static func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " " || text.first == "\t" || text.last == "\t"
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// The column names of a CSV file's header, in file order — used to write augmented data with the
/// columns in the order of the input.
public enum CSVHeader {
    /// Reads the first non-blank line of `path` (after an optional UTF-8 byte-order mark) and
    /// splits it with `delimiter` (nil: detected as `CSVReader` does — tab, else semicolon, else
    /// comma, else whitespace, outside double quotes). Quoted names are unquoted and every name is
    /// trimmed. Returns nil when the file cannot be read.
    public static func columnNames(path: String, delimiter: CSVDelimiter? = nil) -> [String]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var lineStart = 0
        // Read until the first complete non-blank line (or the end of the file).
        while true {
            let chunk = handle.readData(ofLength: 1 << 16)
            let atEnd = chunk.isEmpty
            bytes.append(contentsOf: chunk)
            if lineStart == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { lineStart = 3 }
            var found: [UInt8]?
            var start = lineStart
            var inQuotes = false
            var i = start
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { inQuotes.toggle() }
                if b == UInt8(ascii: "\n") && !inQuotes {
                    var line = Array(bytes[start..<i])
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    if line.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) { found = line; break }
                    start = i + 1
                }
                i += 1
            }
            if let found { return split(found, delimiter: delimiter) }
            if atEnd {
                let rest = Array(bytes[min(start, bytes.count)...])
                return rest.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) ? split(rest, delimiter: delimiter) : nil
            }
            if bytes.count > 64 << 20 { return nil }
        }
    }

    static func split(_ line: [UInt8], delimiter: CSVDelimiter?) -> [String] {
        let chosen = delimiter ?? line.withUnsafeBufferPointer { CSVDelimiter.detect(headerLine: $0) }
        var fields: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var i = 0
        func finish() {
            fields.append(String(decoding: current, as: UTF8.self).trimmingCharacters(in: .whitespaces))
            current.removeAll()
        }
        while i < line.count {
            let b = line[i]
            if b == UInt8(ascii: "\"") {
                if inQuotes, i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") { current.append(b); i += 2; continue }
                inQuotes.toggle()
            } else if !inQuotes, let sep = chosen.separatorByte, b == sep {
                finish()
            } else if !inQuotes, chosen.separatorByte == nil, b == 32 || b == 9 {
                if !current.isEmpty { finish() }
                while i + 1 < line.count, line[i + 1] == 32 || line[i + 1] == 9 { i += 1 }
            } else {
                current.append(b)
            }
            i += 1
        }
        if chosen.separatorByte != nil || !current.isEmpty { finish() }
        return fields
    }

    /// The used columns (the features and the label) in the order of the file's header; the
    /// features followed by the label when the header cannot be matched.
    public static func usedColumnsInFileOrder(path: String, delimiter: CSVDelimiter?, table: SampleTable) -> (used: [String], unused: [String]) {
        let wanted = table.featureNames + [table.labelName]
        guard let header = columnNames(path: path, delimiter: delimiter),
              Set(header).count == header.count, wanted.allSatisfy(header.contains) else { return (wanted, []) }
        return (header.filter(wanted.contains), header.filter { !wanted.contains($0) })
    }
}
