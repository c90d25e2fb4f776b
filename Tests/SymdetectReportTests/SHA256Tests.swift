import Foundation
import XCTest
@testable import SymdetectReport

/// SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "Examples with Intermediate
/// Values") and the NESSIE one-million-'a' vector; the streaming path must agree with one call.
/// Every check runs on both block compressions: the portable Swift one and, where the CPU has
/// the SHA extensions, the hardware one.
final class SHA256Tests: XCTestCase {
    private func checkKnownVectors(_ implementation: SHA256.Implementation) {
        func hex(_ s: String) -> String { SHA256.hex(Array(s.utf8), implementation: implementation) }
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                           + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), implementation: implementation),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testKnownVectorsPortable() {
        let hasher = SHA256(implementation: .portable)
        XCTAssertEqual(hasher.implementation, .portable)
        checkKnownVectors(.portable)
    }

    func testKnownVectorsHardware() throws {
        try XCTSkipUnless(SHA256.hardwareAvailable, "this CPU has no SHA extensions")
        XCTAssertEqual(SHA256(implementation: .hardware).implementation, .hardware)
        XCTAssertEqual(SHA256.preferred, .hardware)
        checkKnownVectors(.hardware)
    }

    func testDefaultHasherUsesPreferredImplementation() {
        XCTAssertEqual(SHA256().implementation, SHA256.preferred)
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Padding edge cases: 55, 56, 63, 64 and 65 bytes (one or two final blocks).
    private func checkStreamingInOddChunks(_ implementation: SHA256.Implementation) {
        var rng = UInt64(12345)
        func next() -> UInt8 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: rng >> 33) }
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { _ in next() }
            let oneShot = SHA256.hex(bytes, implementation: implementation)
            XCTAssertEqual(oneShot, SHA256.hex(bytes, implementation: .portable), "length \(length)")
            var hasher = SHA256(implementation: implementation)
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

    func testStreamingInOddChunksMatchesOneShotPortable() { checkStreamingInOddChunks(.portable) }

    func testStreamingInOddChunksMatchesOneShotHardware() throws {
        try XCTSkipUnless(SHA256.hardwareAvailable, "this CPU has no SHA extensions")
        checkStreamingInOddChunks(.hardware)
    }

    func testFileDigestEqualsInMemoryDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        try Data(bytes).write(to: url)
        let portable = try SHA256.hex(ofFile: url.path, implementation: .portable)
        XCTAssertEqual(portable, SHA256.hex(bytes, implementation: .portable))
        XCTAssertEqual(try SHA256.hex(ofFile: url.path), portable)
        if SHA256.hardwareAvailable {
            XCTAssertEqual(try SHA256.hex(ofFile: url.path, implementation: .hardware), portable)
        }
    }
}
