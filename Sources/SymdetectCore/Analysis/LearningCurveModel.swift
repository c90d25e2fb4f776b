import Foundation

/// e(N) ≈ a·N^(−b) without augmentation; with a symmetry of orbit size n and floor f,
/// e_aug(N) ≈ sqrt((a·(nN)^(−b))² + f²) (SPEC §1).
public struct LearningCurveModel: Sendable, Codable, Equatable {
    public let prefactor: Double
    public let slope: Double

    public init(prefactor: Double, slope: Double) {
        self.prefactor = prefactor
        self.slope = slope
    }

    public func baseline(_ n: Double) -> Double { prefactor * pow(n, -slope) }

    public func augmented(_ n: Double, orbitSize: Double, floor: Double) -> Double {
        let e = prefactor * pow(orbitSize * n, -slope)
        return (e * e + floor * floor).squareRoot()
    }

    /// N* where e_aug(N*) = e(N*): a²N^(−2b)(1 − n^(−2b)) = f² ⇒
    /// N* = (a²(1 − n^(−2b))/f²)^(1/(2b)). nil when f = 0 (augmentation never hurts) or n ≤ 1.
    public func crossover(orbitSize n: Double, floor f: Double) -> Double? {
        guard f > 0, n > 1 else { return nil }
        let gain = 1 - pow(n, -2 * slope)
        return pow(prefactor * prefactor * gain / (f * f), 1 / (2 * slope))
    }
}
