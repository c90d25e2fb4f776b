import Foundation

/// SplitMix64: a small, fast, seedable generator so every random choice (test points, rotations,
/// data splits) is reproducible byte for byte across runs and machines.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits (platform independent, unlike Double.random(in:)).
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * nextUniform() }

    /// Standard normal by Box–Muller (deterministic, uses two uniforms).
    public mutating func nextGaussian() -> Double {
        var u1 = nextUniform()
        while u1 <= 0 { u1 = nextUniform() }
        let u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle driven by this generator (portable, unlike `shuffled(using:)`'s
    /// unspecified algorithm).
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            a.swapAt(i, j)
        }
    }

    /// The first `count` entries of `shuffle` applied to [0, 1, …, n − 1]: the same draws and
    /// swaps (so the same entries, and the generator left in the same state), on 32-bit indices
    /// where n allows (half the memory traffic of the random swaps of a large shuffle).
    public mutating func shuffledPrefix(of n: Int, count: Int) -> [Int] {
        precondition(count >= 0 && count <= n)
        guard n <= Int(Int32.max) else {
            var all = Array(0..<n)
            shuffle(&all)
            return Array(all.prefix(count))
        }
        var all = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = Int32(truncatingIfNeeded: i) }
            initialized = n
        }
        all.withUnsafeMutableBufferPointer { a in
            guard let base = a.baseAddress, n > 1 else { return }
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(next() % UInt64(i + 1))
                let t = base[i]; base[i] = base[j]; base[j] = t
            }
        }
        return all.prefix(count).map { Int($0) }
    }

    /// `shuffledPrefix(of: n, count: count).sorted()` — the same subset and the generator left
    /// in the same state — with the sort replaced by marking the drawn indices and reading the
    /// marks in order (O(n) byte reads instead of an O(count·log count) comparison sort).
    public mutating func sortedSubset(of n: Int, count: Int) -> [Int] {
        let drawn = shuffledPrefix(of: n, count: count)
        guard count > 64 else { return drawn.sorted() }
        var marked = [Bool](repeating: false, count: n)
        for i in drawn { marked[i] = true }
        var sorted: [Int] = []
        sorted.reserveCapacity(count)
        marked.withUnsafeBufferPointer { m in
            for i in 0..<n where m[i] { sorted.append(i) }
        }
        return sorted
    }
}
