import Foundation
import XCTest
@testable import SymdetectReport

/// SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "Examples with Intermediate
/// Values") and the NESSIE one-million-'a' vector; the streaming path must agree with one call.
final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(Array("".utf8)),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                         + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Padding edge cases: 55, 56, 63, 64 and 65 bytes (one or two final blocks).
    func testStreamingInOddChunksMatchesOneShot() {
        var rng = UInt64(12345)
        func next() -> UInt8 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: rng >> 33) }
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { _ in next() }
            let oneShot = SHA256.hex(bytes)
            var hasher = SHA256()
            var i = 0, step = 1
            while i < length {
                let j = min(length, i + step)
                hasher.update(bytes[i..<j])
                i = j
                step = step % 7 + 3
            }
            XCTAssertEqual(SHA256.hexString(hasher.finalize()), oneShot, "length \(length)")
        }
    }

    func testFileDigestEqualsInMemoryDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        try Data(bytes).write(to: url)
        XCTAssertEqual(try SHA256.hex(ofFile: url.path), SHA256.hex(bytes))
    }
}
