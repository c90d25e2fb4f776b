import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SymdetectCore
import XCTest

/// The CSV reader parses the quote-free records of a window on several threads. These tests use
/// inputs large enough (or pieces small enough) for that path and compare every value, line
/// number and error with what the test itself wrote into the file.
final class CSVParallelReadingTests: XCTestCase {
    /// Small windows and pieces: a few hundred KB go through many parallel rounds and refills.
    private let smallPieces = CSVReadTuning(
        chunkBytes: 48 << 10, parallelMinimumBytes: 4 << 10, pieceBytes: 6 << 10, piecesPerRound: 4)
    /// The same windows, parsed sequentially only.
    private let sequentialOnly = CSVReadTuning(
        chunkBytes: 48 << 10, parallelMinimumBytes: .max, pieceBytes: 6 << 10, piecesPerRound: 4)
    private let roles = CSVReadOptions(label: "E", features: ["x", "y"])

    // MARK: - Values

    func testEveryValueIsReadExactlyInEachLayout() throws {
        let layouts: [(String, GeneratedCSV)] = [
            ("comma, LF", GeneratedCSV()),
            ("semicolon, CRLF, BOM, blank lines",
             GeneratedCSV(separator: ";", lineEnd: "\r\n", byteOrderMark: true, blankLineEvery: 17)),
            ("tab, blank lines", GeneratedCSV(separator: "\t", blankLineEvery: 5)),
            ("whitespace runs, CRLF", GeneratedCSV(separator: "  ", lineEnd: "\r\n", blankLineEvery: 11)),
            ("comma, no final line end", GeneratedCSV(finalLineEnd: false)),
        ]
        for (name, layout) in layouts {
            let csv = layout.make(rows: 4_000, seed: 7)
            let table = try CSVReader.read(data: csv.bytes, name: "t.csv", options: roles, tuning: smallPieces)
            assertValues(table, csv, name)
            let sequential = try CSVReader.read(data: csv.bytes, name: "t.csv", options: roles, tuning: sequentialOnly)
            assertValues(sequential, csv, name + " (sequential)")
        }
    }

    func testLargeFileWithStandardChunksIsReadExactly() throws {
        // ≈ 2.6 MB: three 1 MiB windows, each parsed in pieces with the standard thresholds.
        let csv = GeneratedCSV(lineEnd: "\r\n", blankLineEvery: 101).make(rows: 30_000, seed: 11)
        XCTAssertGreaterThan(csv.bytes.count, 2 * CSVReadTuning.standard.chunkBytes)
        let path = try temporaryFile(csv.bytes, name: "large.csv")
        var reports: [(Int64, Int64)] = []
        let table = try CSVReader.read(path: path, options: roles, progress: { reports.append(($0, $1)) })
        assertValues(table, csv, "1 MiB windows")
        XCTAssertEqual(reports.last?.0, Int64(csv.bytes.count))
        XCTAssertTrue(reports.allSatisfy { $0.1 == Int64(csv.bytes.count) })
    }

    func testSmallWindowsFromFileAndPipeAreReadExactly() throws {
        let csv = GeneratedCSV(blankLineEvery: 13).make(rows: 6_000, seed: 3)
        let path = try temporaryFile(csv.bytes, name: "data.csv")
        assertValues(try CSVReader.read(path: path, options: roles, tuning: smallPieces), csv, "file")

        // A pipe: the size is unknown (progress totals are 0), reads return what the writer has.
        let fifo = try makeTemporaryDirectory().appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        signal(SIGPIPE, SIG_IGN)  // a reader that stopped early must fail the test, not end the process
        let bytes = csv.bytes
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            var offset = 0
            while offset < bytes.count {  // uneven slices, so records straddle reads
                let end = min(offset + 5_000 + offset % 7_919, bytes.count)
                let written = bytes[offset ..< end].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard written > 0 else { break }
                offset += written
            }
            close(fd)
        }
        writer.start()
        var totals: Set<Int64> = []
        let table = try CSVReader.read(path: fifo, options: roles, tuning: smallPieces, progress: { totals.insert($1) })
        assertValues(table, csv, "pipe")
        XCTAssertEqual(totals, [0])
    }

    func testUnusedTextColumnsAndDefaultRoles() throws {
        // Every column but the label is a feature by default: the text columns must then be numbers.
        let csv = GeneratedCSV().make(rows: 2_000, seed: 5)
        XCTAssertThrowsError(try CSVReader.read(data: csv.bytes, name: "t.csv", options: .init(), tuning: smallPieces)) { error in
            XCTAssertTrue("\(error)".hasPrefix("t.csv:2:1: not a number (column 'id'): 'r0'"), "\(error)")
        }
    }

    // MARK: - Quoted fields

    func testQuotedMultiLineFieldsCrossingWindowsBetweenQuoteFreeStretches() throws {
        // Quoted notes with line feeds in two stretches of rows; the windows around them hold no
        // quote and are parsed in pieces, the ones with quotes sequentially.
        let quoted = Set(1_500 ..< 1_900).union(4_100 ..< 4_130)
        let layout = GeneratedCSV(lineEnd: "\r\n", blankLineEvery: 29, quotedNotes: quoted)
        let csv = layout.make(rows: 7_000, seed: 13)
        let path = try temporaryFile(csv.bytes, name: "quoted.csv")
        assertValues(try CSVReader.read(path: path, options: roles, tuning: smallPieces), csv, "quoted, small windows")
        assertValues(try CSVReader.read(data: csv.bytes, name: "t.csv", options: roles, tuning: smallPieces), csv, "quoted, in memory")

        // A bad cell after the quoted stretches is reported on its physical line.
        var faulty = layout
        faulty.faults = [6_500: .notANumber]
        let bad = faulty.make(rows: 7_000, seed: 13)
        let badPath = try temporaryFile(bad.bytes, name: "bad.csv")
        XCTAssertThrowsError(try CSVReader.read(path: badPath, options: roles, tuning: smallPieces)) { error in
            XCTAssertEqual("\(error)", "\(badPath):\(bad.lines[6_500]):4: not a number (column 'y'): 'bad6500'")
        }
    }

    func testLargeQuotedFileWithStandardChunks() throws {
        // ≈ 3 MB with 1 MiB windows: quoted multi-line notes only in the middle third.
        let quoted = Set(12_000 ..< 22_000)
        let csv = GeneratedCSV(quotedNotes: quoted).make(rows: 34_000, seed: 17)
        let path = try temporaryFile(csv.bytes, name: "quoted-large.csv")
        assertValues(try CSVReader.read(path: path, options: roles), csv, "quoted, 1 MiB windows")
    }

    // MARK: - Errors

    func testBadRowInAnyPieceIsReportedOnItsLine() throws {
        // Faults at rows spread over every piece of several rounds (a piece is ≈ 6 KB ≈ 70 rows).
        let layout = GeneratedCSV(lineEnd: "\r\n", blankLineEvery: 7)
        let rows = 3_000
        var row = 90
        while row < rows {
            for fault in [GeneratedCSV.Fault.notANumber, .extraField, .missingField] {
                var faulty = layout
                faulty.faults = [row: fault]
                let csv = faulty.make(rows: rows, seed: 19)
                assertFault(fault, row: row, in: csv, tuning: smallPieces)
            }
            row += 211
        }
    }

    func testBadRowInSecondPieceOfStandardWindow() throws {
        // 1 MiB windows cut into four pieces of 256 KiB: a fault about 0.35 MiB into the second
        // window (its second piece), another in its last piece; the first one is reported.
        let layout = GeneratedCSV()
        let probe = layout.make(rows: 30_000, seed: 23)
        let rowsPerMiB = Double(30_000) * Double(1 << 20) / Double(probe.bytes.count)
        let first = Int(rowsPerMiB * 1.35)
        var faulty = layout
        faulty.faults = [first: .notANumber, Int(rowsPerMiB * 1.9): .extraField]
        let csv = faulty.make(rows: 30_000, seed: 23)
        let path = try temporaryFile(csv.bytes, name: "bad.csv")
        XCTAssertThrowsError(try CSVReader.read(path: path, options: roles)) { error in
            XCTAssertEqual("\(error)", "\(path):\(csv.lines[first]):4: not a number (column 'y'): 'bad\(first)'")
        }
    }

    func testFirstFaultInFileOrderWins() throws {
        // Two faults in different pieces of one round, or of different rounds: the earlier is reported.
        let layout = GeneratedCSV(blankLineEvery: 9)
        for (a, b) in [(75, 150), (80, 250), (200, 210), (60, 1_000), (290, 300)] {
            var faulty = layout
            faulty.faults = [b: .notANumber, a: .missingField]
            let csv = faulty.make(rows: 1_200, seed: 29)
            assertFault(.missingField, row: a, in: csv, tuning: smallPieces)
        }
    }

    // MARK: - The parallel component itself

    func testPiecesTakeEveryCompleteQuoteFreeRecordOfAWindow() throws {
        let csv = GeneratedCSV(blankLineEvery: 4).make(rows: 3_000, seed: 31)
        let header = Array("id,x,note,y,E\n".utf8).count

        // All of an in-memory window (it is at its end).
        var state = try parallelParse(csv.bytes, skipping: header)
        XCTAssertEqual(state.position, csv.bytes.count)
        XCTAssertEqual(state.line, csv.lineCount + 1)
        XCTAssertEqual(state.columns[0].map(\.bitPattern), csv.x.map(\.bitPattern))
        XCTAssertEqual(state.columns[2].map(\.bitPattern), csv.energy.map(\.bitPattern))

        // Of a file window: up to its last line end; the record cut off there is left.
        let path = try temporaryFile(csv.bytes, name: "window.csv")
        let window = try CSVByteWindow(path: path, chunkSize: 64 << 10)
        XCTAssertFalse(window.isAtEnd)
        state = try parallelParse(window, skipping: header)
        let lastLineEnd = (0 ..< window.count).last { window.base[$0] == UInt8(ascii: "\n") }!
        XCTAssertEqual(state.position, lastLineEnd + 1)
        let lineFeeds = (header ..< state.position).filter { window.base[$0] == UInt8(ascii: "\n") }.count
        XCTAssertEqual(state.line, 2 + lineFeeds)
        XCTAssertEqual(state.columns[1].map(\.bitPattern), Array(csv.y.prefix(state.columns[1].count)).map(\.bitPattern))

        // A window with a quote anywhere is left to the sequential parser.
        var quoted = csv.bytes
        quoted[quoted.count - 40] = UInt8(ascii: "\"")
        state = try parallelParse(quoted, skipping: header)
        XCTAssertEqual(state.position, header)
        XCTAssertEqual(state.columns[0].count, 0)
    }

    // MARK: - Helpers

    private func assertValues(_ table: SampleTable, _ csv: GeneratedCSV.Output, _ name: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(table.featureNames, ["x", "y"], name, file: file, line: line)
        XCTAssertEqual(table.labelName, "E", name, file: file, line: line)
        XCTAssertEqual(table.count, csv.x.count, name, file: file, line: line)
        guard table.count == csv.x.count else { return }
        // Bit patterns: -0 and 0 differ, as they must.
        XCTAssertTrue(table.features[0].map(\.bitPattern) == csv.x.map(\.bitPattern), "x, \(name)", file: file, line: line)
        XCTAssertTrue(table.features[1].map(\.bitPattern) == csv.y.map(\.bitPattern), "y, \(name)", file: file, line: line)
        XCTAssertTrue(table.labels.map(\.bitPattern) == csv.energy.map(\.bitPattern), "E, \(name)", file: file, line: line)
    }

    private func assertFault(_ fault: GeneratedCSV.Fault, row: Int, in csv: GeneratedCSV.Output, tuning: CSVReadTuning,
                             file: StaticString = #filePath, line: UInt = #line) {
        let expected: String
        switch fault {
        case .notANumber: expected = "t.csv:\(csv.lines[row]):4: not a number (column 'y'): 'bad\(row)'"
        case .extraField: expected = "t.csv:\(csv.lines[row]):6: too many fields: expected 5 fields as in the header, got 6: 'extra\(row)'"
        case .missingField: expected = "t.csv:\(csv.lines[row]): too few fields: expected 5 fields as in the header, got 4"
        }
        XCTAssertThrowsError(try CSVReader.read(data: csv.bytes, name: "t.csv", options: roles, tuning: tuning),
                             "row \(row)", file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, "row \(row)", file: file, line: line)
        }
    }

    private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = try makeTemporaryDirectory().appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private struct ParseState {
        var position: Int
        var line: Int
        var columns: [[Double]]
    }

    private func parallelParse(_ bytes: [UInt8], skipping header: Int) throws -> ParseState {
        try parallelParse(CSVByteWindow(bytes: bytes, name: "t.csv"), skipping: header)
    }

    /// Runs `CSVParallelRows` once over a comma-separated window whose header (`id,x,note,y,E`)
    /// ends at `header`, with the roles x, y → E.
    private func parallelParse(_ window: CSVByteWindow, skipping header: Int) throws -> ParseState {
        let slotOfField = UnsafeMutablePointer<Int>.allocate(capacity: 5)
        defer { slotOfField.deallocate() }
        slotOfField.initialize(from: [-1, 0, -1, 1, 2], count: 5)
        let parser = CSVDataRowParser(
            scanner: CSVRecordScanner(path: "t.csv", delimiter: .comma), fieldCount: 5, slotCount: 3,
            slotOfField: slotOfField)
        var state = ParseState(position: header, line: 2, columns: [[], [], []])
        CSVParallelRows(parser: parser, tuning: smallPieces)
            .parse(window, from: &state.position, line: &state.line, into: &state.columns)
        return state
    }
}

/// A CSV with columns `id,x,note,y,E` written here, with the values it holds and the physical
/// line of every row: the oracle the reader's output is compared with.
///
/// `x` is written as Swift's shortest round-trip text of a random double, `y` the same for a
/// random bit pattern (any finite double, subnormals included), `E` with `%.17g` (17 significant
/// digits always round-trip): so the text reads back to exactly the value generated. `id` and
/// `note` are text (unused columns).
private struct GeneratedCSV {
    enum Fault { case notANumber, extraField, missingField }

    /// Field separator as written; `"  "` (runs of spaces) makes a whitespace-separated file.
    var separator = ","
    var lineEnd = "\n"
    var byteOrderMark = false
    /// A line of blanks before every n-th row (0: none).
    var blankLineEvery = 0
    /// Rows whose note is a quoted field spanning two lines, with escaped quotes.
    var quotedNotes: Set<Int> = []
    var finalLineEnd = true
    var faults: [Int: Fault] = [:]

    struct Output {
        var bytes: [UInt8] = []
        var x: [Double] = []
        var y: [Double] = []
        var energy: [Double] = []
        /// Physical line (1-based) on which each row starts.
        var lines: [Int] = []
        /// Lines in the file (line feeds).
        var lineCount = 0
    }

    func make(rows: Int, seed: UInt64) -> Output {
        var generator = SeededGenerator(seed: seed)
        var out = Output()
        var text = byteOrderMark ? "\u{FEFF}" : ""
        var line = 1
        func endLine() {
            text += lineEnd
            line += 1
        }
        text += ["id", "x", "note", "y", "E"].joined(separator: separator)
        endLine()
        for i in 0 ..< rows {
            if blankLineEvery > 0 && i % blankLineEvery == 0 {
                text += " "
                endLine()
            }
            let x = (Double(generator.next() >> 11) / Double(1 << 53) - 0.5) * 2e3
            var y = Double(bitPattern: generator.next())
            while !y.isFinite { y = Double(bitPattern: generator.next()) }
            let energy = Double(Int64(bitPattern: generator.next()) >> 20) * 1e-6
            out.x.append(x)
            out.y.append(y)
            out.energy.append(energy)
            out.lines.append(line)

            let quoted = quotedNotes.contains(i)
            let note = quoted ? "\"two\nlines, \"\"\(i)\"\"\"" : (separator == "  " ? "n\(i)" : "note \(i)")
            var fields = ["r\(i)", "\(x)", note, faults[i] == .notANumber ? "bad\(i)" : "\(y)",
                          String(format: "%.17g", energy)]
            switch faults[i] {
            case .extraField: fields.append("extra\(i)")
            case .missingField: fields.removeLast()
            default: break
            }
            text += fields.joined(separator: separator)
            if quoted { line += 1 }
            if i < rows - 1 || finalLineEnd { endLine() }
        }
        out.bytes = Array(text.utf8)
        out.lineCount = line - 1
        return out
    }
}
