/// Parses data records into one `Double` column per used field ("slot"): the features in
/// selection order, then the label. The same code serves the sequential reader and every piece
/// that `CSVParallelRows` parses on its own thread.
struct CSVDataRowParser {
    let scanner: CSVRecordScanner
    /// Fields per record, as in the header.
    let fieldCount: Int
    /// Used fields: features plus the label.
    let slotCount: Int
    /// `slotOfField[i]` is the column field i goes to, or -1 for an unused field.
    let slotOfField: UnsafePointer<Int>

    /// Why `parse` stopped.
    enum Stop {
        /// No bytes remain (only when `isAtEnd`).
        case finished
        /// The record at the (updated) `position`, starting on the (updated) `line`, is cut off by
        /// the end of the bytes and more may follow: refill and parse again from there.
        case cutOff
        /// The record that starts on `failure.line` is bad; `position` is at its start.
        case failed(CSVRowFailure)
    }

    /// Parses the records of `base[position ..< end]` into `columns` until one of the `Stop`s.
    /// `position` and `line` (the physical line at `position`) are advanced past every record
    /// parsed. `sink` must have been made for this parser (its row buffer holds `slotCount` values).
    ///
    /// Throws what `CSVRecordScanner.scanRecord` throws (malformed quoted fields).
    @inline(__always)
    func parse(
        _ base: UnsafePointer<UInt8>, from position: inout Int, to end: Int, isAtEnd: Bool, line: inout Int,
        sink: inout CSVDataRowSink, into columns: inout [[Double]]
    ) throws -> Stop {
        let row = sink.row
        while true {
            let recordLine = line
            sink.reset()
            let step = try scanner.scanRecord(base, from: position, to: end, isAtEnd: isAtEnd, line: &line, sink: &sink)
            switch step {
            case let .record(next, count):
                if count != fieldCount || sink.badCell != nil {
                    line = recordLine
                    return .failed(CSVRowFailure(
                        line: recordLine, fieldsFound: count, badCell: sink.badCell, firstExtraField: sink.firstExtraField))
                }
                for slot in 0 ..< slotCount { columns[slot].append(row[slot]) }
                position = next
            case let .blankLine(next):
                position = next
            case .endOfInput:
                position = end
                return .finished
            case .needMoreBytes:
                line = recordLine
                return .cutOff
            }
        }
    }
}

/// A data row that cannot be read: a wrong number of fields or a used cell that is not a number.
struct CSVRowFailure {
    /// Physical line on which the record starts.
    var line: Int
    var fieldsFound: Int
    var badCell: (index: Int, line: Int, bytes: [UInt8])?
    var firstExtraField: String?

    /// The error reported for it: a wrong field count before a bad cell; a bad cell on the line
    /// where it starts.
    func error(names: [String], path: String) -> InputError {
        let expected = names.count
        if fieldsFound != expected {
            let header = "expected \(expected) field\(expected == 1 ? "" : "s") as in the header, got \(fieldsFound)"
            if fieldsFound > expected, let extra = firstExtraField {
                return .badData(
                    path: path, line: line, column: expected + 1, columnName: nil, text: CSVReader.excerpt(extra),
                    reason: "too many fields: " + header)
            }
            return .badData(
                path: path, line: line, column: nil, columnName: nil, text: nil,
                reason: "too few fields: " + header)
        }
        guard let cell = badCell else {
            return .badData(path: path, line: line, column: nil, columnName: nil, text: nil, reason: "malformed row")
        }
        let reason = cell.bytes.withUnsafeBufferPointer { CSVNumberParser.rejectionReason($0) }
        let text = CSVNumberParser.trimmingBlanks(String(decoding: cell.bytes, as: UTF8.self))
        return .badData(
            path: path, line: cell.line, column: cell.index + 1, columnName: names[cell.index],
            text: CSVReader.excerpt(text), reason: reason)
    }
}

/// Parses the used cells of one data row into `row[slot]`; remembers the first bad cell and the
/// first field beyond the header's count for the error message, which the reader raises once the
/// whole record is known (so a wrong field count is reported before a bad cell).
struct CSVDataRowSink: CSVFieldSink {
    let slotOfField: UnsafePointer<Int>
    let fieldCount: Int
    let row: UnsafeMutablePointer<Double>
    var badCell: (index: Int, line: Int, bytes: [UInt8])?
    var firstExtraField: String?

    init(slotOfField: UnsafePointer<Int>, fieldCount: Int, row: UnsafeMutablePointer<Double>) {
        self.slotOfField = slotOfField
        self.fieldCount = fieldCount
        self.row = row
    }

    @inline(__always)
    mutating func reset() {
        badCell = nil
        firstExtraField = nil
    }

    @inline(__always)
    mutating func field(index: Int, bytes: UnsafeBufferPointer<UInt8>, hasEscapedQuotes: Bool, line: Int) {
        guard index < fieldCount else {
            if index == fieldCount {
                firstExtraField = CSVNumberParser.trimmingBlanks(
                    CSVRecordScanner.unescapedText(bytes, hasEscapedQuotes: hasEscapedQuotes))
            }
            return
        }
        let slot = slotOfField[index]
        guard slot >= 0 else { return }
        if !hasEscapedQuotes, let base = bytes.baseAddress, let value = CSVNumberParser.parse(base, count: bytes.count) {
            row[slot] = value
            return
        }
        if badCell == nil { recordBadCell(index: index, bytes: bytes, hasEscapedQuotes: hasEscapedQuotes, line: line) }
    }

    @inline(never)
    private mutating func recordBadCell(index: Int, bytes: UnsafeBufferPointer<UInt8>, hasEscapedQuotes: Bool, line: Int) {
        let text = CSVRecordScanner.unescapedText(bytes, hasEscapedQuotes: hasEscapedQuotes)
        badCell = (index, line, Array(text.utf8))
    }
}
