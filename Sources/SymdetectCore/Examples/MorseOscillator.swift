import Foundation

/// The Morse potential V(x) = D(1 − e^{−a·x})², x the displacement from the minimum.
///
/// Its derivatives at the minimum are V⁽ⁿ⁾(0) = D(−a)ⁿ(2ⁿ − 2): φ2 = 2Da², φ3 = −6Da³,
/// φ4 = 14Da⁴. The reflection x → −x is approximate: V(x) − V(−x) = D[4 sinh(ax) − 2 sinh(2ax)].
public struct MorseOscillator: Sendable {
    public let depth: Double
    public let a: Double

    /// Defaults: H–F-like well in atomic units (D = 0.2250 Eh, a = 1.1741 bohr⁻¹).
    public init(depth: Double = 0.2250, a: Double = 1.1741) {
        self.depth = depth
        self.a = a
    }

    public func energy(_ x: Double) -> Double { depth * pow(1 - exp(-a * x), 2) }

    /// Antisymmetric part y_a(x) = (V(x) − V(−x))/2 = D[2 sinh(ax) − sinh(2ax)].
    public func antisymmetricPart(_ x: Double) -> Double { depth * (2 * sinh(a * x) - sinh(2 * a * x)) }

    /// `count` points uniform on [−L, L] (seeded), optional Gaussian noise; columns x, energy.
    public func samples(count: Int, halfWidth: Double, noise: Double = 0, seed: UInt64 = 1) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        var xs: [Double] = [], ys: [Double] = []
        for _ in 0..<count {
            let x = rng.uniform(-halfWidth, halfWidth)
            xs.append(x)
            ys.append(energy(x) + noise * rng.nextGaussian())
        }
        return SampleTable(featureNames: ["x"], labelName: "energy", features: [xs], labels: ys)
    }
}
