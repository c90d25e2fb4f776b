import Foundation
import XCTest
@testable import SymdetectCore

extension XCTestCase {
    /// `body` must throw `InputError.badData` for `path` at `line`/`column` (exit code 65), whose
    /// one-line message starts with `path:line:column: ` plus `prefixSuffix` and contains every
    /// fragment.
    func assertBadDataError<T>(
        path: String, line: Int?, column: Int?, prefixSuffix: String = "", contains fragments: [String],
        file: StaticString, sourceLine: UInt, _ body: () throws -> T
    ) {
        do {
            let value = try body()
            XCTFail("expected an error, got \(value)", file: file, line: sourceLine)
        } catch let error as InputError {
            guard case let .badData(gotPath, gotLine, gotColumn, _, _, _) = error else {
                return XCTFail("expected .badData, got \(error)", file: file, line: sourceLine)
            }
            XCTAssertEqual(gotPath, path, file: file, line: sourceLine)
            XCTAssertEqual(gotLine, line, "line in \(error)", file: file, line: sourceLine)
            XCTAssertEqual(gotColumn, column, "column in \(error)", file: file, line: sourceLine)
            XCTAssertEqual(error.exitCode, 65, file: file, line: sourceLine)
            var prefix = path
            if let line { prefix += ":\(line)" }
            if let column { prefix += ":\(column)" }
            prefix += ": " + prefixSuffix
            let message = error.description
            XCTAssertTrue(message.hasPrefix(prefix), "'\(message)' should start with '\(prefix)'", file: file, line: sourceLine)
            XCTAssertFalse(message.contains("\n"), "one line: '\(message)'", file: file, line: sourceLine)
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "'\(message)' should contain '\(fragment)'", file: file, line: sourceLine)
            }
        } catch {
            XCTFail("expected InputError, got \(error)", file: file, line: sourceLine)
        }
    }

    /// A fresh directory removed when the test ends.
    func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(type(of: self))-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
