import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), streaming, so a report can name the exact bytes it was computed from.
///
/// No crypto package is available on every platform the tool targets, and the digest is only a
/// fingerprint of the input file (not a security boundary), so this is the plain textbook
/// algorithm: 512-bit blocks, 64 rounds, big-endian words, the message padded with 0x80, zeros
/// and its bit length. Checked against the FIPS 180-4 / NIST example vectors in the tests.
/// Where the CPU has the x86 SHA extensions the blocks are compressed by them (a small C kernel,
/// several times faster); the Swift compression is the fallback, and both give the same digest.
public struct SHA256 {
    /// How whole blocks are compressed.
    public enum Implementation: Sendable {
        /// The Swift rounds below; every platform.
        case portable
        /// The SHA-NI instructions; only where `hardwareAvailable`.
        case hardware
    }

    /// Whether this CPU has the SHA extensions (CPUID, checked once).
    public static let hardwareAvailable: Bool = symdetect_sha256_hardware_available() != 0

    /// The fastest implementation on this CPU.
    public static var preferred: Implementation { hardwareAvailable ? .hardware : .portable }

    public let implementation: Implementation

    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    /// Bytes not yet forming a whole 64-byte block.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() { self.init(implementation: Self.preferred) }

    /// A hasher with the given block compression; `.hardware` falls back to `.portable` on a CPU
    /// without the SHA extensions.
    public init(implementation: Implementation) {
        self.implementation = Self.hardwareAvailable ? implementation : .portable
        pending.reserveCapacity(64)
    }

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { update(buffer: $0) }
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update(buffer: $0) }
    }

    /// Whole blocks are compressed straight from the buffer; only a partial block is copied.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        var offset = 0
        length &+= UInt64(buffer.count)
        if !pending.isEmpty {
            let take = min(64 - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            offset = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0.baseAddress!, blocks: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (buffer.count - offset) / 64
        if whole > 0 {
            compress(buffer.baseAddress! + offset, blocks: whole)
            offset += 64 * whole
        }
        pending.append(contentsOf: buffer[offset...])
    }

    /// The digest; the value is finished (further updates start from a padded state, so don't).
    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        pending.append(contentsOf: tail)
        pending.withUnsafeBytes { raw in
            compress(raw.baseAddress!, blocks: raw.count / 64)
        }
        pending.removeAll()
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in state { for shift in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) } }
        return out
    }

    /// Compresses `blocks` consecutive 64-byte blocks. The working variables stay in registers
    /// for the whole run, eight rounds per step with the roles of the variables rotated instead
    /// of moved, and the message schedule kept as a 16-word window (a large input is hashed
    /// while the analysis runs, on the same cores, so its speed matters).
    private mutating func compress(_ pointer: UnsafeRawPointer, blocks: Int) {
        if implementation == .hardware {
            state.withUnsafeMutableBufferPointer { symdetect_sha256_hardware_compress($0.baseAddress!, pointer, blocks) }
            return
        }
        var (h0, h1, h2, h3, h4, h5, h6, h7) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
        Self.k.withUnsafeBufferPointer { k in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { w in
            @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
            /// W_t for t ≥ 16, in place of W_(t−16).
            @inline(__always) func schedule(_ t: Int) -> UInt32 {
                let a = w[(t - 15) & 15], b = w[(t - 2) & 15]
                let s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >> 3)
                let s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >> 10)
                let next = w[t & 15] &+ s0 &+ w[(t - 7) & 15] &+ s1
                w[t & 15] = next
                return next
            }
            /// One round: T1 = h + Σ1(e) + Ch(e,f,g) + K_t + W_t, d += T1, h = T1 + Σ0(a) + Maj(a,b,c).
            @inline(__always) func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                                         _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
                let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
                d = d &+ t1
                h = t1 &+ (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            }
            for block in 0..<blocks {
                let base = pointer + 64 * block
                for t in 0..<16 { w[t] = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self)) }
                var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
                for t in stride(from: 0, to: 64, by: 8) {
                    @inline(__always) func kw(_ i: Int) -> UInt32 { k[i] &+ (i < 16 ? w[i] : schedule(i)) }
                    round(a, b, c, &d, e, f, g, &h, kw(t))
                    round(h, a, b, &c, d, e, f, &g, kw(t + 1))
                    round(g, h, a, &b, c, d, e, &f, kw(t + 2))
                    round(f, g, h, &a, b, c, d, &e, kw(t + 3))
                    round(e, f, g, &h, a, b, c, &d, kw(t + 4))
                    round(d, e, f, &g, h, a, b, &c, kw(t + 5))
                    round(c, d, e, &f, g, h, a, &b, kw(t + 6))
                    round(b, c, d, &e, f, g, h, &a, kw(t + 7))
                }
                h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            }
        }}
        state = [h0, h1, h2, h3, h4, h5, h6, h7]
    }

    /// Lower-case hexadecimal digest of `bytes`.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes, implementation: Implementation = preferred) -> String
    where Bytes.Element == UInt8 {
        var hasher = SHA256(implementation: implementation)
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// Lower-case hexadecimal digest of the file at `path`, read in 1 MiB chunks.
    public static func hex(ofFile path: String, implementation: Implementation = preferred) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256(implementation: implementation)
        while true {
            guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hexString(hasher.finalize())
    }

    static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for byte in digest { s.append(digits[Int(byte >> 4)]); s.append(digits[Int(byte & 0xF)]) }
        return s
    }
}

/// SHA-256 of a file computed on a background thread; `value` waits for it (nil if unreadable).
public final class InputDigest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var digest: String?

    public init(path: String) {
        DispatchQueue.global().async {
            self.digest = try? SHA256.hex(ofFile: path)
            self.done.signal()
        }
    }

    public var value: String? {
        done.wait()
        done.signal()
        return digest
    }
}
