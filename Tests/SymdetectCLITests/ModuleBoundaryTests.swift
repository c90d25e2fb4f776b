import Foundation
import XCTest

/// The core returns values; only the command line knows flags, and only the report module
/// writes commands (ARCHITECTURE.md). A flag name or a `symdetect …` command in the core's code
/// (comments aside) would be a sentence the core wrote for a reader.
final class ModuleBoundaryTests: XCTestCase {
    static var coreSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SymdetectCore")
    }

    /// (file, line number, line) for every non-comment line of the core's Swift sources.
    static func codeLines() throws -> [(String, Int, String)] {
        let files = FileManager.default.enumerator(at: coreSources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        XCTAssertGreaterThan(files.count, 20, "the core's sources were found")
        var out: [(String, Int, String)] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("//") { continue }
                // Drop a trailing comment (no string in this code base contains "// ").
                let code = trimmed.components(separatedBy: " // ").first ?? trimmed
                out.append((file.lastPathComponent, k + 1, code))
            }
        }
        return out
    }

    func testCoreNamesNoFlagsAndWritesNoCommands() throws {
        let flag = try NSRegularExpression(pattern: "--[a-z]")
        let command = try NSRegularExpression(pattern: "symdetect (analyze|fit|augment|learning-curve|generate)")
        var offending: [String] = []
        for (file, number, code) in try Self.codeLines() {
            let range = NSRange(code.startIndex..., in: code)
            if flag.firstMatch(in: code, range: range) != nil || command.firstMatch(in: code, range: range) != nil {
                offending.append("\(file):\(number): \(code)")
            }
        }
        XCTAssertEqual(offending, [], "flag names or commands in SymdetectCore")
    }
}
