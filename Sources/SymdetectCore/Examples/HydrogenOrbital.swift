import Foundation

/// Hydrogen-atom orbital densities |ψ|² in atomic units (bohr⁻³), nucleus at the origin.
///
/// Real orbitals (Z = 1): ψ_1s = e^{−r}/√π; ψ_2pz = z·e^{−r/2}/(4√(2π));
/// ψ_3dxy = x·y·e^{−r/3}·√2/(81√π); ψ_3dz² = (3z² − r²)·e^{−r/3}/(81√(6π)).
/// Exact symmetries: 1s all of O(3); 2p_z reflections of x, y, z and rotations about z;
/// 3d_xy the axis reflections, swap(x,y) and the 90° rotation about z (C4, not C∞);
/// 3d_z² reflections and rotations about z.
public enum HydrogenOrbital: String, CaseIterable, Sendable {
    case s1 = "1s"
    case p2z = "2pz"
    case d3xy = "3dxy"
    case d3z2 = "3dz2"

    public func density(_ x: Double, _ y: Double, _ z: Double) -> Double {
        let r = (x * x + y * y + z * z).squareRoot()
        let psi: Double
        switch self {
        case .s1: psi = exp(-r) / Double.pi.squareRoot()
        case .p2z: psi = z * exp(-r / 2) / (4 * (2 * Double.pi).squareRoot())
        case .d3xy: psi = x * y * exp(-r / 3) * 2.0.squareRoot() / (81 * Double.pi.squareRoot())
        case .d3z2: psi = (3 * z * z - r * r) * exp(-r / 3) / (81 * (6 * Double.pi).squareRoot())
        }
        return psi * psi
    }

    /// Half-width of the sampling box (bohr): a few times the orbital's extent.
    public var boxHalfWidth: Double {
        switch self { case .s1: return 3; case .p2z: return 6; case .d3xy, .d3z2: return 10 }
    }

    /// `count` points uniform in the cube [−L, L]³ (seeded), columns x, y, z, density.
    public func samples(count: Int, seed: UInt64 = 1) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        let l = boxHalfWidth
        var xs: [Double] = [], ys: [Double] = [], zs: [Double] = [], rho: [Double] = []
        for _ in 0..<count {
            let (x, y, z) = (rng.uniform(-l, l), rng.uniform(-l, l), rng.uniform(-l, l))
            xs.append(x); ys.append(y); zs.append(z)
            rho.append(density(x, y, z))
        }
        return SampleTable(featureNames: ["x", "y", "z"], labelName: "density", features: [xs, ys, zs], labels: rho)
    }
}
