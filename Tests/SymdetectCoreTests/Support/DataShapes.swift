import Foundation
@testable import SymdetectCore

/// Synthetic data shapes for the calibration tests (SPEC §5, "Statistics across data shapes").
///
/// Every shape has a known label f that is exactly invariant under one operation g about a known
/// centre c, optional label noise, and an optional *breaking* term h that is not invariant. The
/// breaking term is scaled per sample set so that its naive floor, RMS over the samples of
/// y_a = (h(x) − h(g·x))/2 (SPEC §1), is exactly the requested value: the power tests then state
/// the breaking they must detect in label units.
struct DataShape {
    enum Design {
        /// Uniform in a box.
        case uniform(count: Int, box: [ClosedRange<Double>])
        /// `count` points evenly spaced on [c − halfWidth, c + halfWidth] (one coordinate).
        case scan(count: Int, halfWidth: Double)
        /// A full tensor grid with `perAxis` points per axis on [−1, 1]ᵈ.
        case grid(perAxis: Int, dimension: Int)
        /// `distinct` uniform points, each present twice with independent noise.
        case duplicated(distinct: Int, box: [ClosedRange<Double>])
        /// Rows near a molecular minimum: the equilibrium structure (atoms' x, y, z in the
        /// columns), each frame displaced atom-wise by N(0, displacement²), rotated by a random
        /// small rotation (angle ≤ rotation) about the centre of the structure and translated by
        /// N(0, translation²).
        case molecule(frames: Int, equilibrium: [[Double]], displacement: Double, rotation: Double, translation: Double)
    }

    let name: String
    let featureNames: [String]
    let design: Design
    /// Absolute label noise (standard deviation).
    let noise: Double
    /// Labels written with this many significant digits (as a CSV would hold them); nil = full precision.
    let writtenDigits: Int?
    /// The operation under test, in the `--op` syntax, and the centre it is exact about.
    let operation: String
    let center: [Double]
    /// The exactly invariant label and the breaking term (any function that is not invariant).
    let label: @Sendable ([Double]) -> Double
    let breaking: @Sendable ([Double]) -> Double
    let fit: FitConfiguration

    var dimension: Int { featureNames.count }

    /// The design points for one seeded repetition.
    func points(_ rng: inout SeededGenerator) -> [[Double]] {
        switch design {
        case let .uniform(count, box):
            return (0..<count).map { _ in box.map { rng.uniform($0.lowerBound, $0.upperBound) } }
        case let .scan(count, halfWidth):
            let step = 2 * halfWidth / Double(count - 1)
            let start = center[0] - halfWidth
            return (0..<count).map { (i: Int) -> [Double] in [start + step * Double(i)] }
        case let .grid(perAxis, dimension):
            var out: [[Double]] = [[]]
            for _ in 0..<dimension {
                let step = 2 / Double(perAxis - 1)
                out = out.flatMap { (p: [Double]) -> [[Double]] in (0..<perAxis).map { (i: Int) -> [Double] in p + [-1 + step * Double(i)] } }
            }
            return out
        case let .duplicated(distinct, box):
            let base = (0..<distinct).map { _ in box.map { rng.uniform($0.lowerBound, $0.upperBound) } }
            return base + base
        case let .molecule(frames, equilibrium, displacement, rotation, translation):
            let n = Double(equilibrium.count)
            let mid = (0..<3).map { k in equilibrium.map { $0[k] }.reduce(0, +) / n }
            return (0..<frames).map { _ in
                let r = Self.smallRotation(maxAngle: rotation, &rng)
                let t = (0..<3).map { _ in translation * rng.nextGaussian() }
                var p: [Double] = []
                for atom in equilibrium {
                    var u = [0.0, 0.0, 0.0]
                    for k in 0..<3 { u[k] = atom[k] - mid[k] + displacement * rng.nextGaussian() }
                    for k in 0..<3 {
                        let ru = r[k][0] * u[0] + r[k][1] * u[1] + r[k][2] * u[2]
                        p.append(mid[k] + t[k] + ru)
                    }
                }
                return p
            }
        }
    }

    /// Rotation about a uniformly random axis by an angle uniform in [−maxAngle, maxAngle].
    static func smallRotation(maxAngle: Double, _ rng: inout SeededGenerator) -> [[Double]] {
        var a = (0..<3).map { _ in rng.nextGaussian() }
        let norm = a.map { $0 * $0 }.reduce(0, +).squareRoot()
        a = a.map { $0 / norm }
        let t = rng.uniform(-maxAngle, maxAngle)
        let (c, s) = (cos(t), sin(t))
        let (x, y, z) = (a[0], a[1], a[2])
        return [
            [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
            [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
            [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)],
        ]
    }

    /// g·x about the shape's centre.
    func image(_ x: [Double], _ op: SymmetryOperation) -> [Double] {
        let u = zip(x, center).map { $0 - $1 }
        return zip(center, op.matrix * u).map { $0 + $1 }
    }

    /// RMS over the points of (h(x) − h(g·x))/2: the naive floor of the breaking term h.
    func naiveFloor(of h: ([Double]) -> Double, at points: [[Double]], _ op: SymmetryOperation) -> Double {
        let s = points.map { p -> Double in let d = (h(p) - h(image(p, op))) / 2; return d * d }.reduce(0, +)
        return (s / Double(points.count)).squareRoot()
    }

    /// One seeded data set. `breakingFloor` is the naive floor (label units) of the added
    /// breaking; 0 gives exactly symmetric data.
    func table(seed: UInt64, breakingFloor: Double = 0) -> SampleTable {
        var rng = SeededGenerator(seed: seed ^ 0x5EED_CA11_B4A7_E000)
        let pts = points(&rng)
        // Noise-free shapes vary from one repetition to the next by the label's scale and offset
        // (which also moves where the written digits round).
        let (gain, offset) = noise == 0 ? (rng.uniform(0.5, 2), rng.uniform(-1, 1)) : (1.0, 0.0)
        var scale = 0.0
        if breakingFloor > 0 {
            let op = try! OperationParser.parse(operation, names: featureNames)
            let unit = naiveFloor(of: breaking, at: pts, op)
            precondition(unit > 0, "\(name): the breaking term is invariant under \(operation)")
            scale = breakingFloor / unit
        }
        var y: [Double] = []
        for p in pts {
            var v = gain * label(p) + offset + scale * breaking(p) + noise * rng.nextGaussian()
            if let digits = writtenDigits { v = Double(String(format: "%.\(digits)g", v))! }
            y.append(v)
        }
        let cols = (0..<dimension).map { j in pts.map { $0[j] } }
        return SampleTable(featureNames: featureNames, labelName: "E", features: cols, labels: y)
    }

    /// Standard deviation of the noise-free, unbroken label over one repetition's design.
    func labelSpread(seed: UInt64) -> Double {
        LabelSummary(table(seed: seed).labels).standardDeviation
    }
}

// MARK: - The shapes

extension DataShape {
    /// Even in x (reflect(x) exact), not in y.
    @Sendable static func well2(_ p: [Double]) -> Double {
        let (x, y) = (p[0], p[1])
        return x * x + 1.5 * y * y + 0.3 * y * y * y + 0.2 * x * x * y + 0.1 * x * x * x * x
    }

    /// Even in x and y, swap(x,y) exact; reflect(z) broken by cubic terms (the well of
    /// SymmetryAnalysisTests.cubicZ).
    @Sendable static func well3(_ p: [Double]) -> Double {
        let (x, y, z) = (p[0], p[1], p[2])
        return x * x + y * y + 2 * z * z + 0.4 * z * z * z + 0.2 * (x * x + y * y) * z + 0.1 * (x * x * x * x + y * y * y * y)
    }

    /// A cubic term odd in x about 0 (plus an even part, so the breaking is not a pure monomial).
    @Sendable static func cubicX(_ p: [Double]) -> Double { p[0] * p[0] * p[0] + 0.5 * p[0] * p[0] * p[1 % p.count] }

    static let box2: [ClosedRange<Double>] = [-1...1, -1...1]
    static let box3: [ClosedRange<Double>] = [-1...1, -1...1, -1...1]

    static func uniform2D(noise: Double = 0.01, count: Int = 200) -> DataShape {
        DataShape(name: "uniform 2-D (\(count) rows)", featureNames: ["x", "y"], design: .uniform(count: count, box: box2),
                  noise: noise, writtenDigits: nil, operation: "reflect(x)", center: [0, 0],
                  label: well2, breaking: cubicX, fit: FitConfiguration())
    }

    static let uniform3D = DataShape(
        name: "uniform 3-D (150 rows)", featureNames: ["x", "y", "z"], design: .uniform(count: 150, box: box3),
        noise: 0.01, writtenDigits: nil, operation: "reflect(x)", center: [0, 0, 0],
        label: well3, breaking: cubicX, fit: FitConfiguration())

    /// The even 1-D scan of issue 9: 41 evenly spaced points of an even, non-polynomial well
    /// (the order-4 model has a systematic, even misfit), noise-free, labels written with 12
    /// significant digits.
    static let scan1D = DataShape(
        name: "even 1-D scan (41 points, noise-free, 12 digits)", featureNames: ["x"], design: .scan(count: 41, halfWidth: 1),
        noise: 0, writtenDigits: 12, operation: "reflect(x)", center: [0.3],
        label: { p in let u = p[0] - 0.3; return 2 * (cosh(u) - 1) + 0.1 * u * u * u * u },
        breaking: { p in let u = p[0] - 0.3; return u * u * u }, fit: FitConfiguration())

    /// The same scan with label noise 0.005 (about 1.5 % of the label's spread).
    static let scan1DNoisy = DataShape(
        name: "even 1-D scan (41 points, noise 0.005)", featureNames: ["x"], design: .scan(count: 41, halfWidth: 1),
        noise: 0.005, writtenDigits: nil, operation: "reflect(x)", center: [0.3],
        label: { p in let u = p[0] - 0.3; return 2 * (cosh(u) - 1) + 0.1 * u * u * u * u },
        breaking: { p in let u = p[0] - 0.3; return u * u * u }, fit: FitConfiguration())

    static let grid3D = DataShape(
        name: "3-D grid (5×5×5)", featureNames: ["x", "y", "z"], design: .grid(perAxis: 5, dimension: 3),
        noise: 0.01, writtenDigits: nil, operation: "reflect(x)", center: [0, 0, 0],
        label: well3, breaking: cubicX, fit: FitConfiguration())

    static let duplicated = DataShape(
        name: "duplicated points (2 × 100 rows)", featureNames: ["x", "y"], design: .duplicated(distinct: 100, box: box2),
        noise: 0.01, writtenDigits: nil, operation: "reflect(x)", center: [0, 0],
        label: well2, breaking: cubicX, fit: FitConfiguration())

    static let tiny = DataShape(
        name: "tiny (30 rows)", featureNames: ["x", "y"], design: .uniform(count: 30, box: box2),
        noise: 0.01, writtenDigits: nil, operation: "reflect(x)", center: [0, 0],
        label: well2, breaking: cubicX, fit: FitConfiguration())

    /// Noise comparable to the label's spread (sd of well2 on the box ≈ 0.7).
    static let heavyNoise = DataShape(
        name: "heavy noise (σ = 0.3, 300 rows)", featureNames: ["x", "y"], design: .uniform(count: 300, box: box2),
        noise: 0.3, writtenDigits: nil, operation: "reflect(x)", center: [0, 0],
        label: well2, breaking: cubicX, fit: FitConfiguration())

    /// A direction the label does not depend on (a): its Hessian is singular there, and the
    /// stationary-point search is free to wander along it.
    static let ignoredDirection = DataShape(
        name: "rank-deficient: ignored direction (3 columns, 150 rows)", featureNames: ["x", "y", "a"],
        design: .uniform(count: 150, box: box3), noise: 0.01, writtenDigits: nil,
        operation: "reflect(x)", center: [0, 0, 0],
        label: { well2([$0[0], $0[1]]) }, breaking: cubicX, fit: FitConfiguration())

    /// A diatomic in Cartesian coordinates (6 columns): the label depends on the bond length only
    /// (5 of 6 directions are rigid motions). The bond lies along x at equilibrium, so exchanging
    /// the two atoms' z coordinates (a reflection of the bond vector through the xy plane) is exact.
    static let diatomic = DataShape(
        name: "rank-deficient: diatomic, rigid motions (6 columns, 150 rows)",
        featureNames: ["x1", "y1", "z1", "x2", "y2", "z2"],
        design: .molecule(frames: 150, equilibrium: [[-0.5, 0, 0], [0.5, 0, 0]], displacement: 0.03, rotation: 0.3, translation: 0.05),
        noise: 0.0005, writtenDigits: nil, operation: "swap(z1,z2)", center: [-0.5, 0, 0, 0.5, 0, 0],
        label: { p in
            let dx = p[3] - p[0], dy = p[4] - p[1], dz = p[5] - p[2]
            let r = (dx * dx + dy * dy + dz * dz).squareRoot()
            let d = r - 1
            return 10 * d * d - 15 * d * d * d
        },
        // An external field along z acting on atom 1 only.
        breaking: { p in p[2] * p[2] * p[2] + 0.3 * p[2] },
        // Order 4 in 6 coordinates has 210 coefficients, more than the 150 frames. The centre is
        // given (the equilibrium): the automatic stationary-point search wanders along the rigid
        // motions (or does not converge), and about such a centre swap(z1,z2) is no longer exact.
        fit: FitConfiguration(center: .given([-0.5, 0, 0, 0.5, 0, 0]), order: .fixed(3)))

    /// Water-like triatomic in Cartesian coordinates (9 columns), the label a function of the
    /// three interatomic distances only (invariant under rigid motions), frames near the minimum:
    /// the situation of issue 9 ("saddle" centre, single-atom reflections called exact on no
    /// evidence).
    static let water9Equilibrium: [[Double]] = [[0, 0, 0], [0.76, 0.59, 0], [-0.76, 0.59, 0]]
    @Sendable static func water9(_ p: [Double]) -> Double {
        func dist(_ a: Int, _ b: Int) -> Double {
            var s = 0.0
            for k in 0..<3 { let d = p[3 * a + k] - p[3 * b + k]; s += d * d }
            return s.squareRoot()
        }
        let r0 = (0.76 * 0.76 + 0.59 * 0.59).squareRoot()
        let d1 = dist(0, 1) - r0, d2 = dist(0, 2) - r0, d3 = dist(1, 2) - 1.52
        return 20 * (d1 * d1 + d2 * d2) + 3 * d3 * d3 - 30 * (d1 * d1 * d1 + d2 * d2 * d2) + 2 * d1 * d2
    }

    static func water9(frames: Int = 250, displacement: Double = 0.03, rotation: Double = 0.3, noise: Double = 0.0005,
                       order: OrderChoice = .fixed(2)) -> DataShape {
        DataShape(
            name: "rank-deficient: water-like, rigid motions (9 columns, \(frames) rows)",
            featureNames: ["x1", "y1", "z1", "x2", "y2", "z2", "x3", "y3", "z3"],
            design: .molecule(frames: frames, equilibrium: water9Equilibrium, displacement: displacement, rotation: rotation, translation: 0.05),
            noise: noise, writtenDigits: nil, operation: "reflect(z1)", center: water9Equilibrium.flatMap { $0 },
            label: water9, breaking: { p in p[2] * p[2] * p[2] }, fit: FitConfiguration(center: .auto, order: order))
    }
}
