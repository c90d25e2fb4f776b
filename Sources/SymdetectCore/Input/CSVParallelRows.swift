import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the CSV reader divides its work. The defaults suit files of any size; tests use small
/// values to drive the chunked and parallel paths with small inputs.
struct CSVReadTuning {
    /// Bytes asked for per `read` call, and the window's initial size.
    var chunkBytes = 1 << 20
    /// Records are parsed on several threads only where a window holds at least this many bytes
    /// of complete records without a `"`; smaller files (the examples, most tests) and windows
    /// with quoted fields are parsed sequentially.
    var parallelMinimumBytes = 256 << 10
    /// Size a window's records are cut into for the threads (each piece ends at a line end).
    var pieceBytes = 256 << 10
    /// Pieces parsed at a time; their rows are held until they are appended, so this bounds the
    /// extra memory to `piecesPerRound × pieceBytes` of input.
    var piecesPerRound = 4

    static let standard = CSVReadTuning()
}

/// Parses the complete records of a window on several threads, into per-piece columns that are
/// appended to the table's columns in file order.
///
/// Where it applies: only to bytes without any `"`. A quoted field may hold line feeds, so a line
/// feed is a record boundary only where no quote is open; without quotes every line feed ends a
/// record (or a blank line), and a window can be cut after any of them. A window holding a quote
/// anywhere is left to the sequential parser whole.
///
/// Results are those of the sequential parser by construction: each piece starts at a record
/// boundary and is parsed by the same `CSVDataRowParser`; its line count is its number of line
/// feeds, so the next piece's first line is known once the pieces before it are done. A piece
/// that meets a bad row (or any error) is not used: the reader appends the pieces before it and
/// parses from that piece's start sequentially with the true line numbers, so it reports the
/// first error in file order exactly as the sequential reader does.
final class CSVParallelRows {
    private let parser: CSVDataRowParser
    private let tuning: CSVReadTuning
    private let pieces: [CSVRowPiece]

    init(parser: CSVDataRowParser, tuning: CSVReadTuning) {
        self.parser = parser
        self.tuning = tuning
        self.pieces = (0 ..< max(tuning.piecesPerRound, 1)).map { _ in CSVRowPiece(parser: parser) }
    }

    /// Parses what it can of the records from `position` on (a record boundary on physical line
    /// `line`): the complete quote-free records of the window, if they are at least
    /// `parallelMinimumBytes`. Advances `position` and `line` past the records appended to
    /// `columns`; leaves the rest (the last, cut-off record, or everything from a bad row on) to the
    /// sequential parser.
    func parse(_ window: CSVByteWindow, from position: inout Int, line: inout Int, into columns: inout [[Double]]) {
        let base = window.base
        let count = window.count
        guard count - position >= tuning.parallelMinimumBytes else { return }
        let regionEnd: Int
        if window.isAtEnd {
            regionEnd = count
        } else {
            guard let lastLineFeed = Self.lastLineFeed(base, from: position, to: count) else { return }
            regionEnd = lastLineFeed + 1
        }
        guard regionEnd - position >= tuning.parallelMinimumBytes,
              memchr(base + position, Int32(UInt8(ascii: "\"")), regionEnd - position) == nil
        else { return }

        let pieceBytes = max(tuning.pieceBytes, 1)
        while position < regionEnd {
            // One round: up to `pieces.count` pieces of about equal size, each ending after a line feed.
            let remaining = regionEnd - position
            let roundBytes = min(remaining, pieces.count * pieceBytes)
            let pieceCount = min(pieces.count, (roundBytes + pieceBytes - 1) / pieceBytes)
            let size = roundBytes / pieceCount
            var start = position
            for k in 0 ..< pieceCount {
                let target = k == pieceCount - 1 ? position + roundBytes : position + (k + 1) * size
                let end = max(start, Self.lineStart(base, atOrAfter: target, regionStart: position, regionEnd: regionEnd))
                pieces[k].start = start
                pieces[k].end = end
                start = end
            }
            let pieces = self.pieces
            let parser = self.parser
            if pieceCount == 1 {
                pieces[0].parse(base, parser: parser)
            } else {
                DispatchQueue.concurrentPerform(iterations: pieceCount) { k in pieces[k].parse(base, parser: parser) }
            }
            for piece in pieces[0 ..< pieceCount] {
                guard piece.isComplete else { return }
                for slot in columns.indices { columns[slot].append(contentsOf: piece.columns[slot]) }
                line += piece.lineCount
                position = piece.end
            }
        }
    }

    /// The first line start at or after `target`: the offset after the first line feed at or
    /// after `target - 1`, or `regionEnd`.
    private static func lineStart(_ base: UnsafePointer<UInt8>, atOrAfter target: Int, regionStart: Int, regionEnd: Int) -> Int {
        if target >= regionEnd { return regionEnd }
        let from = max(target - 1, regionStart)
        guard let found = memchr(base + from, Int32(UInt8(ascii: "\n")), regionEnd - from) else { return regionEnd }
        return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
    }

    /// The offset of the last line feed in `base[start ..< end]`.
    private static func lastLineFeed(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var p = end
        while p > start {
            p -= 1
            if base[p] == UInt8(ascii: "\n") { return p }
        }
        return nil
    }
}

/// One piece of a window, parsed on one thread into its own columns. Each piece is touched by one
/// thread at a time: its parsing thread during a round, the reader's thread between rounds.
final class CSVRowPiece: @unchecked Sendable {
    var start = 0
    var end = 0
    /// The rows of `start ..< end`, one column per slot.
    private(set) var columns: [[Double]]
    /// Line feeds in `start ..< end`: the lines the piece spans.
    private(set) var lineCount = 0
    /// Every record parsed; false when a row was bad or scanning threw.
    private(set) var isComplete = false
    private var sink: CSVDataRowSink
    private let row: UnsafeMutablePointer<Double>

    init(parser: CSVDataRowParser) {
        columns = [[Double]](repeating: [], count: parser.slotCount)
        row = .allocate(capacity: parser.slotCount)
        row.initialize(repeating: 0, count: parser.slotCount)
        sink = CSVDataRowSink(slotOfField: parser.slotOfField, fieldCount: parser.fieldCount, row: row)
    }

    deinit { row.deallocate() }

    /// Parses `base[start ..< end]`, which ends at a line end (or the end of the input) and holds
    /// no quote, with lines counted from 0.
    func parse(_ base: UnsafePointer<UInt8>, parser: CSVDataRowParser) {
        for slot in columns.indices { columns[slot].removeAll(keepingCapacity: true) }
        var position = start
        var line = 0
        let stop = try? parser.parse(
            base, from: &position, to: end, isAtEnd: true, line: &line, sink: &sink, into: &columns)
        if case .finished = stop {
            lineCount = line
            isComplete = true
        } else {
            isComplete = false
        }
    }
}
