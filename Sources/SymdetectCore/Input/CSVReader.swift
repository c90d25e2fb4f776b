/// Reads a numeric CSV file into a `SampleTable`, streaming: the file is read in 1 MiB chunks and
/// cells are parsed straight from the bytes into `Double` columns; no line or cell is ever held as
/// a `String` (only header names and error texts are). A chunk's records are parsed on several
/// threads when it holds at least 256 KiB of them and no `"` (see `CSVParallelRows`, and
/// `CSVReadTuning` for the thresholds); the table and every error are the same either way.
///
/// Format (see `CSVRecordScanner` for the field rules, `CSVNumberParser` for numbers):
/// - an optional UTF-8 byte-order mark, then a header row of unique, non-empty column names (trimmed),
///   then one or more data rows with exactly as many fields as the header;
/// - LF or CRLF line ends; blank lines (only spaces, tabs, CRs) anywhere are skipped;
/// - the delimiter is `options.delimiter` or detected from the header line (`CSVDelimiter.detect`);
/// - every cell of a used column (the label and the features) must be a finite decimal number.
///   Cells of unused columns are skipped without any numeric check, so a file may carry text
///   columns (ids, comments) next to the numbers;
/// - no feature column may be constant over all rows (it carries no information and makes the
///   Taylor design singular).
///
/// All problems are thrown as `InputError`: `.unreadable` when the file cannot be opened or read,
/// `.badData` with the 1-based physical line, 1-based field index and the offending text otherwise.
public enum CSVReader {
    /// Reads the file at `path`. `progress(bytesRead, totalBytes)` is called after every 4 MiB
    /// read and once at the end; `totalBytes` is 0 when the size is unknown (a pipe).
    public static func read(
        path: String, options: CSVReadOptions = .init(), progress: ((Int64, Int64) -> Void)? = nil
    ) throws -> SampleTable {
        try read(path: path, options: options, tuning: .standard, progress: progress)
    }

    /// The same parser on bytes in memory; `name` stands for the path in error messages.
    public static func read(data: [UInt8], name: String, options: CSVReadOptions = .init()) throws -> SampleTable {
        try read(data: data, name: name, options: options, tuning: .standard)
    }

    /// `read(path:options:progress:)` with the work divided as `tuning` says.
    static func read(
        path: String, options: CSVReadOptions, tuning: CSVReadTuning, progress: ((Int64, Int64) -> Void)? = nil
    ) throws -> SampleTable {
        let window = try CSVByteWindow(path: path, chunkSize: tuning.chunkBytes)
        return try read(window, name: path, options: options, tuning: tuning, progress: progress)
    }

    /// `read(data:name:options:)` with the work divided as `tuning` says.
    static func read(data: [UInt8], name: String, options: CSVReadOptions, tuning: CSVReadTuning) throws -> SampleTable {
        try read(CSVByteWindow(bytes: data, name: name), name: name, options: options, tuning: tuning, progress: nil)
    }

    /// Longer texts are cut in error messages.
    static func excerpt(_ text: String, limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    private static let progressInterval: Int64 = 4 << 20
    /// A record (line, or lines joined by quotes) longer than this is refused rather than buffered:
    /// it is an unclosed quote or a file that is not a CSV, and the reader must not end up holding
    /// the whole file.
    private static let maximumRecordBytes = 64 << 20

    private static func read(
        _ window: CSVByteWindow, name path: String, options: CSVReadOptions, tuning: CSVReadTuning,
        progress: ((Int64, Int64) -> Void)?
    ) throws -> SampleTable {
        var nextProgress = progressInterval
        /// Refills the window keeping the record that starts at `offset` (on line `recordLine`).
        func refill(keepingFrom offset: Int, recordLine: Int) throws {
            if window.count - offset >= maximumRecordBytes {
                throw InputError.badData(
                    path: path, line: recordLine, column: nil, columnName: nil, text: nil,
                    reason: "a single record is longer than \(maximumRecordBytes >> 20) MiB"
                        + " (a quote that is never closed, or not a text file?)")
            }
            try window.refill(keepingFrom: offset)
            if let progress, window.bytesRead >= nextProgress {
                progress(window.bytesRead, window.totalBytes)
                nextProgress = window.bytesRead + progressInterval
            }
        }

        // Byte-order mark.
        while window.count < 3 && !window.isAtEnd { try refill(keepingFrom: 0, recordLine: 1) }
        var position = 0
        if window.count >= 3 && window.base[0] == 0xEF && window.base[1] == 0xBB && window.base[2] == 0xBF {
            position = 3
        }

        // Header: skip blank lines, detect the delimiter from the header line, split it.
        var line = 1
        let delimiter: CSVDelimiter
        while true {
            if let found = try headerLineDelimiter(window, from: &position, line: &line, options: options) {
                delimiter = found
                break
            }
            try refill(keepingFrom: position, recordLine: line)
            position = 0
        }
        let scanner = CSVRecordScanner(path: path, delimiter: delimiter)
        var header = HeaderSink()
        let headerStartLine = line
        scanning: while true {
            header.reset()
            let step = try scanner.scanRecord(
                window.base, from: position, to: window.count, isAtEnd: window.isAtEnd, line: &line, sink: &header)
            switch step {
            case let .record(next, _):
                position = next
                break scanning
            case .needMoreBytes:
                line = headerStartLine
                try refill(keepingFrom: position, recordLine: headerStartLine)
                position = 0
            case .blankLine, .endOfInput:
                // Unreachable: headerLineDelimiter stopped at a non-blank byte. Reported, not trapped.
                throw InputError.badData(
                    path: path, line: nil, column: nil, columnName: nil, text: nil,
                    reason: "the file is empty (a header row is required)")
            }
        }
        let selection = try CSVColumnSelection.resolve(
            names: header.names, headerLines: header.lines, options: options, path: path, delimiter: delimiter)

        // Data rows.
        let columns = try readRows(
            window, position: position, line: line, scanner: scanner, names: header.names,
            selection: selection, tuning: tuning, refill: refill(keepingFrom:recordLine:))
        if let progress { progress(window.bytesRead, window.totalBytes) }

        let featureCount = selection.featureColumns.count
        let features = Array(columns[0 ..< featureCount])
        let labels = columns[featureCount]
        guard !labels.isEmpty else {
            throw InputError.badData(
                path: path, line: nil, column: nil, columnName: nil, text: nil,
                reason: "no data rows (the file has only a header)")
        }
        let featureNames = selection.featureColumns.map { header.names[$0] }
        for (name, values) in zip(featureNames, features) {
            let first = values[0]
            if values.allSatisfy({ $0 == first }) {
                throw InputError.badData(
                    path: path, line: nil, column: nil, columnName: name, text: "\(first)",
                    reason: "feature column has the same value in all \(values.count) rows")
            }
        }
        return SampleTable(
            featureNames: featureNames, labelName: header.names[selection.labelColumn],
            features: features, labels: labels)
    }

    /// Skips blank lines before the header and returns the delimiter for the header line that
    /// starts at `position` (afterwards), or `nil` if the window ends before that line does.
    private static func headerLineDelimiter(
        _ window: CSVByteWindow, from position: inout Int, line: inout Int, options: CSVReadOptions
    ) throws -> CSVDelimiter? {
        let base = window.base
        let end = window.count
        while true {
            var p = position
            while p < end && (base[p] == UInt8(ascii: " ") || base[p] == UInt8(ascii: "\t") || base[p] == UInt8(ascii: "\r")) {
                p += 1
            }
            if p == end {
                guard window.isAtEnd else { return nil }
                throw InputError.badData(
                    path: window.path, line: nil, column: nil, columnName: nil, text: nil,
                    reason: "the file is empty (a header row is required)")
            }
            if base[p] == UInt8(ascii: "\n") {
                line += 1
                position = p + 1
                continue
            }
            if let delimiter = options.delimiter { return delimiter }
            // The header line, up to a line feed outside quotes.
            var insideQuotes = false
            var q = position
            while q < end {
                if base[q] == UInt8(ascii: "\"") { insideQuotes.toggle() }
                if base[q] == UInt8(ascii: "\n") && !insideQuotes { break }
                q += 1
            }
            if q == end && !window.isAtEnd { return nil }
            return CSVDelimiter.detect(headerLine: UnsafeBufferPointer(start: base + position, count: q - position))
        }
    }

    /// Parses all data rows into one column per used field: features in selection order, then the
    /// label. Windows of quote-free records go to `CSVParallelRows` first; the sequential parser
    /// takes the rest (windows with quotes, the record cut off at a window's end, small inputs).
    private static func readRows(
        _ window: CSVByteWindow, position start: Int, line startLine: Int, scanner: CSVRecordScanner,
        names: [String], selection: CSVColumnSelection, tuning: CSVReadTuning, refill: (Int, Int) throws -> Void
    ) throws -> [[Double]] {
        let fieldCount = names.count
        let slotCount = selection.featureColumns.count + 1
        var slotOfField = [Int](repeating: -1, count: fieldCount)
        for (slot, field) in selection.featureColumns.enumerated() { slotOfField[field] = slot }
        slotOfField[selection.labelColumn] = slotCount - 1

        var columns = [[Double]](repeating: [], count: slotCount)
        let slotOfFieldPointer = UnsafeMutablePointer<Int>.allocate(capacity: fieldCount)
        let rowPointer = UnsafeMutablePointer<Double>.allocate(capacity: slotCount)
        defer {
            slotOfFieldPointer.deallocate()
            rowPointer.deallocate()
        }
        slotOfFieldPointer.initialize(from: slotOfField, count: fieldCount)
        rowPointer.initialize(repeating: 0, count: slotCount)
        let parser = CSVDataRowParser(
            scanner: scanner, fieldCount: fieldCount, slotCount: slotCount, slotOfField: slotOfFieldPointer)
        var sink = CSVDataRowSink(slotOfField: slotOfFieldPointer, fieldCount: fieldCount, row: rowPointer)
        let parallel = window.count - start >= tuning.parallelMinimumBytes
            ? CSVParallelRows(parser: parser, tuning: tuning) : nil

        var position = start
        var line = startLine
        var reservedRows = false
        while true {
            parallel?.parse(window, from: &position, line: &line, into: &columns)
            let stop = try parser.parse(
                window.base, from: &position, to: window.count, isAtEnd: window.isAtEnd, line: &line,
                sink: &sink, into: &columns)
            switch stop {
            case .finished:
                return columns
            case let .failed(failure):
                throw failure.error(names: names, path: scanner.path)
            case .cutOff:
                if !reservedRows && window.totalBytes > 0 && columns[0].count > 0 {
                    // Size the columns once from the first chunk's rows per byte, to avoid regrowth.
                    let estimate = Double(columns[0].count) * Double(window.totalBytes) / Double(max(position, 1))
                    let rows = Int(min(estimate * 1.05, 1e9))
                    for slot in 0 ..< slotCount { columns[slot].reserveCapacity(rows) }
                    reservedRows = true
                }
                try refill(position, line)
                position = 0
            }
        }
    }
}

/// Collects the header names (unescaped, trimmed) and the line each starts on.
private struct HeaderSink: CSVFieldSink {
    var names: [String] = []
    var lines: [Int] = []

    mutating func reset() {
        names.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
    }

    mutating func field(index: Int, bytes: UnsafeBufferPointer<UInt8>, hasEscapedQuotes: Bool, line: Int) {
        names.append(CSVNumberParser.trimmingBlanks(CSVRecordScanner.unescapedText(bytes, hasEscapedQuotes: hasEscapedQuotes)))
        lines.append(line)
    }
}
