import Foundation
import SymdetectCore
import XCTest

final class CSVReaderTests: XCTestCase {
    // MARK: - Helpers

    private func read(_ text: String, _ options: CSVReadOptions = .init()) throws -> SampleTable {
        try CSVReader.read(data: Array(text.utf8), name: "t.csv", options: options)
    }

    /// Asserts that reading `text` fails with `.badData` at `line`/`column` (nil = absent), that the
    /// rendered message starts with the location and contains every fragment, and exits with 65.
    private func assertBadData(
        _ text: String, _ options: CSVReadOptions = .init(), line: Int?, column: Int?,
        contains fragments: [String], file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        assertBadData(bytes: Array(text.utf8), options, line: line, column: column, contains: fragments,
                      file: file, sourceLine: sourceLine)
    }

    private func assertBadData(
        bytes: [UInt8], _ options: CSVReadOptions = .init(), line: Int?, column: Int?,
        contains fragments: [String], file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        assertBadDataError(path: "t.csv", line: line, column: column, contains: fragments, file: file, sourceLine: sourceLine) {
            try CSVReader.read(data: bytes, name: "t.csv", options: options).count
        }
    }

    private func temporaryDirectory() throws -> URL { try makeTemporaryDirectory() }

    /// A seeded generator (SplitMix64) so every random test is repeatable.
    private struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    // MARK: - Delimiters

    func testCommaSeparatedWithDefaultRoles() throws {
        let table = try read("x,y,E\n1,2,3\n4,5,6.5\n")
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.labelName, "E")
        XCTAssertEqual(table.features, [[1, 4], [2, 5]])
        XCTAssertEqual(table.labels, [3, 6.5])
    }

    func testTabSeparated() throws {
        let table = try read("x\ty\tE\n1\t2\t3\n-4\t5e1\t6\n")
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.features, [[1, -4], [2, 50]])
        XCTAssertEqual(table.labels, [3, 6])
    }

    func testSemicolonSeparated() throws {
        let table = try read("x;y;E\n1;2;3\n4;5;6\n")
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.features, [[1, 4], [2, 5]])
    }

    func testWhitespaceSeparatedRunsAndEdgesIgnored() throws {
        // Detection sees no tab, semicolon or comma in the header; data lines may mix in tabs.
        let table = try read("  x   y E  \n1  2 \t 3\n\t 4 5 6   \n")
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.labelName, "E")
        XCTAssertEqual(table.features, [[1, 4], [2, 5]])
        XCTAssertEqual(table.labels, [3, 6])
    }

    func testWhitespaceSeparatedWithQuotedField() throws {
        let table = try read("\"x pos\" y E\n1 \"2\" 3\n4 5 \"6\"\n")
        XCTAssertEqual(table.featureNames, ["x pos", "y"])
        XCTAssertEqual(table.labels, [3, 6])
    }

    func testDetectionPrefersTabThenSemicolonThenComma() throws {
        // Tab wins although the header also has a comma.
        let tab = try read("x,pos\ty\tE\n1\t2\t3\n4\t5\t6\n")
        XCTAssertEqual(tab.featureNames, ["x,pos", "y"])
        // Semicolon wins over comma.
        let semicolon = try read("x,pos;y;E\n1;2;3\n4;5;6\n")
        XCTAssertEqual(semicolon.featureNames, ["x,pos", "y"])
        // A comma inside quotes does not count.
        let quoted = try read("\"x,pos\" y E\n1 2 3\n4 5 6\n")
        XCTAssertEqual(quoted.featureNames, ["x,pos", "y"])
        // A tab inside quotes does not count either.
        let quotedTab = try read("\"x\tpos\",y,E\n1,2,3\n4,5,6\n")
        XCTAssertEqual(quotedTab.featureNames, ["x\tpos", "y"])
    }

    func testExplicitDelimiterOverridesDetection() throws {
        let table = try read("x,pos;y;E\n1;2;3\n4;5;6\n", CSVReadOptions(delimiter: .semicolon))
        XCTAssertEqual(table.featureNames, ["x,pos", "y"])
        let commas = try read("a;b,c;d,E\n1,2,3\n4,5,6\n", CSVReadOptions(delimiter: .comma))
        XCTAssertEqual(commas.featureNames, ["a;b", "c;d"])
        let spaces = try read("x y,E\n1 2\n4 5\n", CSVReadOptions(delimiter: .whitespace))
        XCTAssertEqual(spaces.featureNames, ["x"])
        XCTAssertEqual(spaces.labelName, "y,E")
        XCTAssertEqual(spaces.labels, [2, 5])
    }

    func testDelimiterArguments() {
        XCTAssertEqual(CSVDelimiter(argument: ","), .comma)
        XCTAssertEqual(CSVDelimiter(argument: "comma"), .comma)
        XCTAssertEqual(CSVDelimiter(argument: "tab"), .tab)
        XCTAssertEqual(CSVDelimiter(argument: "\\t"), .tab)
        XCTAssertEqual(CSVDelimiter(argument: "\t"), .tab)
        XCTAssertEqual(CSVDelimiter(argument: ";"), .semicolon)
        XCTAssertEqual(CSVDelimiter(argument: "semicolon"), .semicolon)
        XCTAssertEqual(CSVDelimiter(argument: "space"), .whitespace)
        XCTAssertEqual(CSVDelimiter(argument: "whitespace"), .whitespace)
        XCTAssertEqual(CSVDelimiter(argument: "TAB"), .tab)
        XCTAssertNil(CSVDelimiter(argument: "|"))
        XCTAssertNil(CSVDelimiter(argument: ""))
        XCTAssertNil(CSVDelimiter(argument: "commas"))
    }

    // MARK: - Quotes, line ends, BOM, blank lines

    func testQuotedHeaderAndCells() throws {
        let text = "\"x, pos\",\"y \"\"q\"\"\", E \n\"1.5\",\" 2 \",3\n4,5,\"6\"\n"
        let table = try read(text)
        XCTAssertEqual(table.featureNames, ["x, pos", "y \"q\""])
        XCTAssertEqual(table.labelName, "E")
        XCTAssertEqual(table.features, [[1.5, 4], [2, 5]])
        XCTAssertEqual(table.labels, [3, 6])
    }

    func testQuotedFieldsWithSeparatorsAndLineEndsInUnusedColumn() throws {
        let text = "id,x,E\n\"a,b\",1,2\n\"multi\nline \"\"note\"\"\",3,4\nplain,5,6\n"
        let table = try read(text, CSVReadOptions(features: ["x"]))
        XCTAssertEqual(table.features, [[1, 3, 5]])
        XCTAssertEqual(table.labels, [2, 4, 6])
    }

    func testLineNumbersCountLineEndsInsideQuotes() {
        // Record 2 spans physical lines 3-4, so the bad cell is on line 5.
        let text = "id,x,E\n1,1,2\n\"multi\nline\",3,4\nz,oops,6\n"
        assertBadData(text, CSVReadOptions(features: ["x"]), line: 5, column: 2, contains: ["'oops'", "column 'x'"])
    }

    func testCRLFLineEnds() throws {
        let table = try read("x,y,E\r\n1,2,3\r\n4,5,6\r\n")
        XCTAssertEqual(table.labelName, "E")
        XCTAssertEqual(table.features, [[1, 4], [2, 5]])
        XCTAssertEqual(table.labels, [3, 6])
        let whitespace = try read("x y E\r\n1 2 3\r\n4 5 6\r\n")
        XCTAssertEqual(whitespace.labels, [3, 6])
        let quoted = try read("\"x\",\"y\",\"E\"\r\n\"1\",\"2\",\"3\"\r\n4,5,6\r\n")
        XCTAssertEqual(quoted.labels, [3, 6])
    }

    func testByteOrderMarkBlankLinesAndMissingFinalNewline() throws {
        let text = "\u{FEFF}\n  \r\nx,y,E\r\n\r\n1,2,3\r\n \t \n4,5,6"
        let table = try read(text)
        XCTAssertEqual(table.featureNames, ["x", "y"])
        XCTAssertEqual(table.labels, [3, 6])
        let trailingBlanks = try read("x,y,E\n1,2,3\n4,5,6\n\n\n  \n")
        XCTAssertEqual(trailingBlanks.count, 2)
    }

    func testLineNumbersWithBOMBlankLinesAndCRLF() {
        let text = "\u{FEFF}\r\nx,y,E\r\n\r\n1,2,3\r\n4,five,6\r\n"
        assertBadData(text, line: 5, column: 2, contains: ["'five'", "column 'y'", "not a number"])
    }

    // MARK: - Column selection

    func testLabelAndFeatureSelectionAndOrder() throws {
        let text = "a,b,c,d,e\n1,2,3,4,5\n6,7,8,9,10\n"
        let table = try read(text, CSVReadOptions(label: "b", features: ["e", "a"]))
        XCTAssertEqual(table.featureNames, ["e", "a"])
        XCTAssertEqual(table.labelName, "b")
        XCTAssertEqual(table.features, [[5, 10], [1, 6]])
        XCTAssertEqual(table.labels, [2, 7])
    }

    func testLabelOnlyKeepsAllOtherColumnsInFileOrder() throws {
        let table = try read("a,b,c\n1,2,3\n4,5,7\n", CSVReadOptions(label: "a"))
        XCTAssertEqual(table.featureNames, ["b", "c"])
        XCTAssertEqual(table.labels, [1, 4])
    }

    func testFeaturesOnlyKeepsLastColumnAsLabel() throws {
        let table = try read("a,b,c\n1,2,3\n4,5,7\n", CSVReadOptions(features: ["b"]))
        XCTAssertEqual(table.featureNames, ["b"])
        XCTAssertEqual(table.labelName, "c")
        XCTAssertEqual(table.labels, [3, 7])
    }

    func testSelectedNamesAreTrimmed() throws {
        let table = try read("a , b ,c\n1,2,3\n4,5,7\n", CSVReadOptions(label: " c", features: ["b ", " a"]))
        XCTAssertEqual(table.featureNames, ["b", "a"])
    }

    func testUnusedColumnsAreNotValidatedButCounted() throws {
        let table = try read("name,x,note,E\nfirst,1,n/a,2\nsecond,3,,4\n", CSVReadOptions(features: ["x"]))
        XCTAssertEqual(table.features, [[1, 3]])
        XCTAssertEqual(table.labels, [2, 4])
        assertBadData("name,x,note,E\nfirst,1,n/a,2\nsecond,3,4\n", CSVReadOptions(features: ["x"]),
                      line: 3, column: nil, contains: ["expected 4 fields", "got 3"])
    }

    // MARK: - Numbers

    func testNumberForms() throws {
        let cells = ["+1", "-0", ".5", "5.", "1e3", "1E-3", "  7  ", "-1.5e+2", "0001.25", "1e-400",
                     "1.7976931348623157e308", "4.9406564584124654e-324", "2.2250738585072011e-308",
                     "2.2250738585072012e-308", "9007199254740993", "9007199254740995", "0.1", "123456789012345678901234567890",
                     "0.1000000000000000055511151231257827021181583404541015625",
                     "1.00000000000000011102230246251565404236316680908203125",
                     "1.00000000000000011102230246251565404236316680908203126", "0e999999", "0.000000000000000000000000000001e30",
                     "1" + String(repeating: "0", count: 400) + "e-400", "-.0e-5", "\t3.25\t",
                     "1.7976931348623158e308", "-1.797693134862315807e308"]
        let text = "x,E\n" + cells.enumerated().map { "\($1),\($0)" }.joined(separator: "\n")
        let table = try read(text, CSVReadOptions(delimiter: .comma))
        let expected = cells.map { Double($0.trimmingCharacters(in: .whitespaces))! }
        XCTAssertEqual(table.features[0].map(\.bitPattern), expected.map(\.bitPattern))
        // Spot checks against hand-known values.
        XCTAssertEqual(table.features[0][1].sign, .minus)  // -0 keeps its sign
        XCTAssertEqual(table.features[0][9], 0)             // underflow to zero is accepted
        XCTAssertEqual(table.features[0][14], 9007199254740992)  // tie rounds to even
        XCTAssertEqual(table.features[0][15], 9007199254740996)
        XCTAssertEqual(table.features[0][18], 0.1)
        XCTAssertEqual(table.features[0][19], 1.0)           // exact tie, even
        XCTAssertEqual(table.features[0][20], 1.0.nextUp)    // just above the tie
        XCTAssertEqual(table.features[0][23], 1.0)
        XCTAssertEqual(table.features[0][26], .greatestFiniteMagnitude)  // below the overflow threshold
        XCTAssertEqual(table.features[0][27], -.greatestFiniteMagnitude)
    }

    func testSeventeenDigitValuesRoundTripExactly() throws {
        var generator = SeededGenerator(state: 42)
        var values: [Double] = []
        while values.count < 50_000 {
            // Random bit patterns cover every exponent; half in ordinary ranges.
            let value = values.count % 2 == 0
                ? Double(bitPattern: generator.next())
                : Double.random(in: -1e6 ... 1e6, using: &generator)
            if value.isFinite { values.append(value) }
        }
        let texts = values.map { String(format: "%.17g", $0) }
        let text = "x,E\n" + texts.enumerated().map { "\($1),\($0)" }.joined(separator: "\n") + "\n"
        let table = try read(text)
        for (i, parsed) in table.features[0].enumerated() {
            XCTAssertEqual(parsed.bitPattern, values[i].bitPattern, "\(texts[i])")
            XCTAssertEqual(parsed.bitPattern, Double(texts[i])!.bitPattern, "\(texts[i])")
        }
    }

    func testRandomDecimalStringsMatchStandardLibrary() throws {
        // Random significands of 1-25 digits and exponents over the whole range, compared bit for bit
        // with Double(String) (an independent, correctly rounded parser).
        var generator = SeededGenerator(state: 7)
        var texts: [String] = []
        while texts.count < 50_000 {
            let digitCount = Int.random(in: 1 ... 25, using: &generator)
            var digits = (0 ..< digitCount).map { _ in Character(String(Int.random(in: 0 ... 9, using: &generator))) }
            let point = Int.random(in: 0 ... digitCount, using: &generator)
            digits.insert(".", at: point)
            var text = (generator.next() & 1 == 0 ? "-" : "") + String(digits)
            if generator.next() % 4 != 0 { text += "e\(Int.random(in: -345 ... 310, using: &generator))" }
            guard let reference = Double(text), reference.isFinite else { continue }
            texts.append(text)
        }
        let text = "x,E\n" + texts.enumerated().map { "\($1),\($0)" }.joined(separator: "\n") + "\n"
        let table = try read(text)
        for (i, parsed) in table.features[0].enumerated() {
            XCTAssertEqual(parsed.bitPattern, Double(texts[i])!.bitPattern, "\(texts[i])")
        }
    }

    func testRejectedNumbers() {
        let cases: [(cell: String, fragment: String)] = [
            ("NaN", "NaN is not allowed"), ("nan", "NaN is not allowed"), ("-NaN", "NaN is not allowed"),
            ("Inf", "infinity is not allowed"), ("-inf", "infinity is not allowed"),
            ("Infinity", "infinity is not allowed"), ("0x1A", "hexadecimal"), ("-0x1p3", "hexadecimal"),
            ("1e400", "out of range"), ("-1e400", "out of range"), ("1.7976931348623159e308", "out of range"), ("1" + String(repeating: "0", count: 310), "out of range"),
            ("abc", "not a number"), ("1.2.3", "not a number"), ("1e", "not a number"), ("1e+", "not a number"),
            ("--1", "not a number"), ("1_000", "not a number"), (".", "not a number"), ("+", "not a number"),
            ("1 2", "not a number"), ("e5", "not a number"), ("１", "not a number"),
        ]
        for (cell, fragment) in cases {
            assertBadData("x,y,E\n1,2,3\n4,\(cell),6\n", line: 3, column: 2,
                          contains: [fragment, "(column 'y')", ": '\(cell.prefix(60))"])
        }
    }

    func testEmptyCells() {
        assertBadData("x,y,E\n1,2,3\n4,,6\n", line: 3, column: 2, contains: ["empty cell", "(column 'y')"])
        assertBadData("x,y,E\n1,2,3\n4,   ,6\n", line: 3, column: 2, contains: ["empty cell"])
        assertBadData("x,y,E\n1,2,3\n4,5,\n", line: 3, column: 3, contains: ["empty cell", "(column 'E')"])
        assertBadData("x\ty\tE\n1\t\t3\n", line: 2, column: 2, contains: ["empty cell"])
        assertBadData("x,y,E\n1,\"\",3\n", line: 2, column: 2, contains: ["empty cell"])
    }

    func testDecimalCommaIsExplained() {
        assertBadData("x;y;E\n1;2,5;3\n", line: 2, column: 2, contains: ["decimal commas are not supported", "'2,5'"])
    }

    func testQuotedTextCellShowsUnescapedText() {
        assertBadData("x,y,E\n1,\"say \"\"hi\"\"\",3\n", line: 2, column: 2, contains: ["not a number", "'say \"hi\"'"])
    }

    func testLongOffendingTextIsShortened() {
        let long = String(repeating: "a", count: 500)
        assertBadData("x,y,E\n1,\(long),3\n", line: 2, column: 2, contains: [String(repeating: "a", count: 60) + "…'"])
    }

    // MARK: - Structural errors

    func testEmptyFile() {
        assertBadData("", line: nil, column: nil, contains: ["empty"])
        assertBadData("\u{FEFF}", line: nil, column: nil, contains: ["empty"])
        assertBadData("\n \r\n\t\n", line: nil, column: nil, contains: ["empty"])
    }

    func testHeaderOnly() {
        assertBadData("x,y,E\n", line: nil, column: nil, contains: ["no data rows"])
        assertBadData("x,y,E", line: nil, column: nil, contains: ["no data rows"])
        assertBadData("x,y,E\r\n\r\n  \n", line: nil, column: nil, contains: ["no data rows"])
    }

    func testTooFewFields() {
        assertBadData("x,y,E\n1,2,3\n4,5\n", line: 3, column: nil, contains: ["expected 3 fields", "got 2"])
        assertBadData("x y E\n1 2 3\n4 5\n7 8 9\n", line: 3, column: nil, contains: ["expected 3 fields", "got 2"])
    }

    func testTooManyFields() {
        assertBadData("x,y,E\n1,2,3\n4,5,6,7\n", line: 3, column: 4, contains: ["expected 3 fields", "got 4", "'7'"])
        assertBadData("x,y,E\n1,2,3,\n", line: 2, column: 4, contains: ["expected 3 fields", "got 4"])
    }

    func testFieldCountIsReportedBeforeBadCells() {
        // A wrong delimiter shows as a field-count problem, not as a bad number.
        assertBadData("x,y,E\n1;2;3\n", line: 2, column: nil, contains: ["expected 3 fields", "got 1"])
    }

    func testUnterminatedQuote() {
        assertBadData("x,y,E\n1,2,3\n4,\"5,6\n7,8,9\n", line: 3, column: 2, contains: ["never closed"])
        assertBadData("\"x,y,E\n1,2,3\n", line: 1, column: 1, contains: ["never closed"])
    }

    func testTextAfterClosingQuote() {
        assertBadData("x,y,E\n1,\"2\"x,3\n", line: 2, column: 2, contains: ["after the closing quote", "'x'"])
        assertBadData("x y E\n1 \"2\"x 3\n", line: 2, column: 2, contains: ["after the closing quote", "'x'"])
    }

    func testOverlongRecordIsRefusedInsteadOfBuffered() throws {
        // An unclosed quote would otherwise make the reader buffer the rest of the file.
        let path = try temporaryDirectory().appendingPathComponent("unclosed.csv").path
        var data = Data("x,y,E\n1,2,3\n4,\"5,6\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "7"), count: 65 << 20))
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.exitCode, 65)
            XCTAssertTrue("\(error)".hasPrefix("\(path):3: a single record is longer than 64 MiB"), "\(error)")
        }
    }

    func testDuplicateColumnName() {
        assertBadData("x,y,x\n1,2,3\n", line: 1, column: 3, contains: ["duplicate column name", "column 1", "'x'"])
        assertBadData("\n\nx, y ,\"y\"\n1,2,3\n", line: 3, column: 3, contains: ["duplicate column name", "'y'"])
    }

    func testEmptyColumnName() {
        assertBadData(",x,E\n0,1,2\n", line: 1, column: 1, contains: ["empty column name"])
        assertBadData("x,\" \",E\n0,1,2\n", line: 1, column: 2, contains: ["empty column name"])
    }

    func testUnknownLabel() {
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(label: "F"), line: 1, column: nil,
                      contains: ["no label column", "'x', 'y', 'E'", ": 'F'"])
    }

    func testUnknownFeature() {
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(features: ["x", "z"]), line: 1, column: nil,
                      contains: ["no feature column", "'x', 'y', 'E'", ": 'z'"])
    }

    func testLabelAmongFeatures() {
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(label: "y", features: ["x", "y"]), line: 1, column: nil,
                      contains: ["label column cannot also be a feature", "'y'"])
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(features: ["E"]), line: 1, column: nil,
                      contains: ["label column cannot also be a feature", "'E'"])
    }

    func testFeatureListedTwiceOrNone() {
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(features: ["x", "x"]), line: 1, column: nil,
                      contains: ["listed twice", "'x'"])
        assertBadData("x,y,E\n1,2,3\n", CSVReadOptions(features: []), line: 1, column: nil,
                      contains: ["no feature columns"])
    }

    func testSingleColumnSuggestsDelimiter() {
        assertBadData("x|y|E\n1|2|3\n", line: 1, column: nil, contains: ["single column", "delimiter", "'x|y|E'"])
    }

    func testConstantFeatureColumn() {
        assertBadData("x,y,E\n1,2,3\n1,5,6\n1.0,7,8\n", line: nil, column: nil,
                      contains: ["same value in all 3 rows", "(column 'x')", "'1.0'"])
        assertBadData("x,y,E\n1,2,3\n", line: nil, column: nil, contains: ["same value in all 1 rows", "(column 'x')"])
    }

    func testConstantLabelIsAccepted() throws {
        let table = try read("x,E\n1,5\n2,5\n")
        XCTAssertEqual(table.labels, [5, 5])
    }

    func testInvalidUTF8InHeaderDoesNotCrash() throws {
        var bytes = Array("x".utf8) + [0xFF, 0xFE] + Array(",E\n1,2\n3,4\n".utf8)
        let table = try CSVReader.read(data: bytes, name: "t.csv")
        XCTAssertEqual(table.featureNames, ["x\u{FFFD}\u{FFFD}"])
        bytes = Array("x,E\n1,2\n".utf8) + [0xC3] + Array(",4\n".utf8)
        assertBadData(bytes: bytes, line: 3, column: 1, contains: ["not a number"])
    }

    // MARK: - Files

    func testReadsFileFromPathLikeData() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("data.csv").path
        let text = "x,y,E\n1,2,3\n4,5,6\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reports: [(Int64, Int64)] = []
        let table = try CSVReader.read(path: path, progress: { reports.append(($0, $1)) })
        XCTAssertEqual(table, try read(text))
        XCTAssertEqual(reports.last?.0, Int64(text.utf8.count))
        XCTAssertEqual(reports.last?.1, Int64(text.utf8.count))
    }

    func testMissingFile() throws {
        let path = try temporaryDirectory().appendingPathComponent("missing.csv").path
        XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
            guard let error = error as? InputError, case let .unreadable(errorPath, _) = error else {
                return XCTFail("expected .unreadable, got \(error)")
            }
            XCTAssertEqual(errorPath, path)
            XCTAssertEqual(error.exitCode, 66)
            XCTAssertTrue(error.description.hasPrefix(path + ": cannot read file: "), error.description)
            XCTAssertTrue(error.description.contains("No such file"), error.description)
        }
    }

    func testDirectoryIsUnreadable() throws {
        let path = try temporaryDirectory().path
        XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
            guard let error = error as? InputError, case .unreadable = error else {
                return XCTFail("expected .unreadable, got \(error)")
            }
            XCTAssertEqual(error.exitCode, 66)
            XCTAssertTrue(error.description.contains("is a directory"), error.description)
        }
    }

    func testLargeFileIsStreamedAcrossChunkBoundaries() throws {
        // ~6 MB: several 1 MiB chunks, with quoted multi-line fields that straddle chunk ends.
        let directory = try temporaryDirectory()
        let rows = 120_000
        let badRow = rows - 3
        func makeText(corrupting corruptRow: Int?) -> (text: String, lineOfBadCell: Int) {
            var text = "note,x,y,E\r\n"
            var line = 2
            var lineOfBadCell = 0
            for i in 0 ..< rows {
                let multiLine = i % 7 == 0
                let note = multiLine ? "\"two\nlines, \"\"quoted\"\"\"" : "n\(i)"
                let y = i == corruptRow ? "x1" : "\(-Double(i) / 3)"
                if i == corruptRow { lineOfBadCell = line + (multiLine ? 1 : 0) }
                text += "\(note),\(Double(i) * 0.001),\(y),\(Double(i).squareRoot())\r\n"
                line += multiLine ? 2 : 1
            }
            return (text, lineOfBadCell)
        }

        let path = directory.appendingPathComponent("large.csv").path
        let text = makeText(corrupting: nil).text
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reports: [(Int64, Int64)] = []
        let table = try CSVReader.read(path: path, options: CSVReadOptions(features: ["y", "x"]),
                                       progress: { reports.append(($0, $1)) })
        XCTAssertEqual(table.count, rows)
        XCTAssertEqual(table.featureNames, ["y", "x"])
        for i in stride(from: 0, to: rows, by: 997) {
            XCTAssertEqual(table.features[0][i], -Double(i) / 3)
            XCTAssertEqual(table.features[1][i], Double(i) * 0.001)
            XCTAssertEqual(table.labels[i], Double(i).squareRoot())
        }
        let size = Int64(text.utf8.count)
        XCTAssertGreaterThan(reports.count, 1)
        XCTAssertTrue(reports.allSatisfy { $0.1 == size })
        XCTAssertEqual(reports.last?.0, size)

        // A bad cell near the end is reported on its physical line.
        let (badText, badLine) = makeText(corrupting: badRow)
        let badPath = directory.appendingPathComponent("bad.csv").path
        try badText.write(toFile: badPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVReader.read(path: badPath, options: CSVReadOptions(features: ["x", "y"]))) { error in
            XCTAssertEqual("\(error)", "\(badPath):\(badLine):3: not a number (column 'y'): 'x1'")
        }
    }
}
