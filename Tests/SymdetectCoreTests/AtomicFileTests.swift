import Foundation
import SymdetectCore
import XCTest

final class AtomicFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    func listing(_ sub: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? directory.path : path(sub)).sorted()
    }

    struct Interrupted: Error {}

    func testWritesNewFileAndCreatesParentDirectories() throws {
        try AtomicFile.write("hello\n", to: path("a/b/out.txt"))
        XCTAssertEqual(try read("a/b/out.txt"), "hello\n")
        XCTAssertEqual(try listing("a/b"), ["out.txt"])
    }

    func testReplacesExistingFileAndKeepsItsPermissions() throws {
        try "old".write(toFile: path("out.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path("out.txt"))
        try AtomicFile.write(Data("new".utf8), to: path("out.txt"))
        XCTAssertEqual(try read("out.txt"), "new")
        let permissions = try FileManager.default.attributesOfItem(atPath: path("out.txt"))[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o640)
        XCTAssertEqual(try listing(), ["out.txt"], "no temporary file is left")
    }

    func testLargeStreamedContentArrivesIntact() throws {
        let line = String(repeating: "0123456789", count: 10) + "\n"
        try AtomicFile.write(to: path("big.txt")) { writer in
            for _ in 0..<5000 { try writer.write(line) }
            try writer.write(Data(repeating: UInt8(ascii: "z"), count: 200_000))
        }
        let text = try read("big.txt")
        XCTAssertEqual(text.utf8.count, 5000 * line.utf8.count + 200_000)
        XCTAssertTrue(text.hasPrefix(line))
        XCTAssertTrue(text.hasSuffix("zzz"))
    }

    func testFailureWhileProducingLeavesExistingFileUntouched() throws {
        try "precious".write(toFile: path("out.txt"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try AtomicFile.write(to: path("out.txt")) { writer in
            try writer.write(String(repeating: "partial ", count: 20_000))
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try read("out.txt"), "precious")
        XCTAssertEqual(try listing(), ["out.txt"])
    }

    func testFailureRemovesDirectoriesItCreated() throws {
        XCTAssertThrowsError(try AtomicFile.write(to: path("new/deeper/out.txt")) { _ in throw Interrupted() })
        XCTAssertEqual(try listing(), [])
    }

    func testDestinationThatIsADirectoryIsRefused() throws {
        try FileManager.default.createDirectory(atPath: path("dir"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicFile.write("x", to: path("dir"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("is a directory"), message)
            XCTAssertTrue(message.contains(self.path("dir")), message)
        }
        XCTAssertEqual(try listing(), ["dir"])
        XCTAssertEqual(try listing("dir"), [])
    }

    func testParentThatIsAFileIsRefused() throws {
        try "plain".write(toFile: path("file"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try AtomicFile.write("x", to: path("file/out.txt"))) { error in
            XCTAssertTrue(error is AtomicFileError)
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertEqual(try read("file"), "plain")
        XCTAssertEqual(try listing(), ["file"])
    }
}
