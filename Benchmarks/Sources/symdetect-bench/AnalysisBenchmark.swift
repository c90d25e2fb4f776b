import SymdetectCore

#if canImport(Glibc)
import Glibc
#endif

/// Synthetic well in three coordinates: exact under reflect(x) and swap(x,y), broken along z by
/// cubic terms; uniform samples in [−1, 1]³ with a little noise.
func syntheticWell(rows: Int) -> SampleTable {
    var rng = SeededGenerator(seed: 42)
    var cols = [[Double]](repeating: [], count: 3)
    var y: [Double] = []
    cols[0].reserveCapacity(rows); cols[1].reserveCapacity(rows); cols[2].reserveCapacity(rows); y.reserveCapacity(rows)
    for _ in 0..<rows {
        let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1))
        cols[0].append(a); cols[1].append(b); cols[2].append(c)
        y.append(a * a + b * b + 2 * c * c + 0.4 * c * c * c + 0.2 * (a * a + b * b) * c + 0.01 * rng.nextGaussian())
    }
    return SampleTable(featureNames: ["x", "y", "z"], labelName: "V", features: cols, labels: y)
}

/// `fit`: order-4 Taylor fit (centre auto) of N rows × 3 coordinates.
func runFitBenchmark(_ arguments: BenchmarkArguments) throws {
    let rows = arguments.integer("rows", default: 1_000_000)
    let table = syntheticWell(rows: rows)
    let start = monotonicSeconds()
    let outcome = try FitPipeline.run(table, FitConfiguration(center: .auto, order: .fixed(4)))
    let elapsed = monotonicSeconds() - start
    print("fit: \(rows) rows x 3 coordinates, order 4, centre auto: \(String(format: "%.2f", elapsed)) s (rmse \(outcome.fit.rmse), \(outcome.center.iterations) Newton steps)")
    let t2 = monotonicSeconds()
    _ = try TaylorFitter.fit(table, center: outcome.fit.center, order: 4)
    print("fit: one order-4 fit at a given centre: \(String(format: "%.2f", monotonicSeconds() - t2)) s")
}

/// `analyze`: the whole pipeline (default candidate operations) on N rows × 3 coordinates.
func runAnalyzeBenchmark(_ arguments: BenchmarkArguments) throws {
    let rows = arguments.integer("rows", default: 100_000)
    let table = syntheticWell(rows: rows)
    let start = monotonicSeconds()
    var last = start
    var lastCPU = processCPUSeconds()
    var stage = "start"
    let result = try Analyzer.run(table, AnalysisConfiguration()) { progress in
        // Each stage's duration, printed when the next one starts (operation tests as one stage).
        let message: String
        switch progress {
        case .fitting: message = "fitting"
        case .indexingNeighbours: message = "neighbour index"
        case .testing: message = "testing operations"
        case .closingGroup: message = "group"
        case .recommending: message = "recommendation"
        case .measuringLearningCurve: message = "learning curve"
        }
        if message == stage { return }
        let now = monotonicSeconds(), cpu = processCPUSeconds()
        fputs(String(format: "  %6.3f s  %6.3f CPU-s  %@\n", now - last, cpu - lastCPU, stage), stderr)
        stage = message
        last = now
        lastCPU = cpu
    }
    fputs(String(format: "  %6.3f s  %6.3f CPU-s  %@\n", monotonicSeconds() - last, processCPUSeconds() - lastCPU, stage), stderr)
    let elapsed = monotonicSeconds() - start
    let exact = result.operations.filter { $0.verdict == .exact }.map { $0.name }
    print("analyze: \(rows) rows x 3 coordinates, \(result.operations.count) operations: \(String(format: "%.2f", elapsed)) s; exact: \(exact.joined(separator: " "))")
}

/// `fit-molecular`: one order-4 fit of a molecular-size design (D coordinates, C(D+4, 4)
/// monomials; 9 coordinates give 715) on N rows, at a given centre.
func runMolecularFitBenchmark(_ arguments: BenchmarkArguments) throws {
    let rows = arguments.integer("rows", default: 12_000)
    let d = arguments.integer("dimension", default: 9)
    var rng = SeededGenerator(seed: 7)
    var cols = [[Double]](repeating: [], count: d)
    var y: [Double] = []
    for _ in 0..<rows {
        var e = 0.0
        for j in 0..<d {
            let q = rng.uniform(-1, 1)
            cols[j].append(q)
            e += Double(j + 1) * q * q + 0.1 * q * q * q
        }
        y.append(e + 0.001 * rng.nextGaussian())
    }
    let table = SampleTable(featureNames: (1...d).map { "q\($0)" }, labelName: "E", features: cols, labels: y)
    let start = monotonicSeconds()
    let fit = try TaylorFitter.fit(table, center: [Double](repeating: 0, count: d), order: 4)
    let elapsed = monotonicSeconds() - start
    print("fit-molecular: \(rows) rows x \(d) coordinates, order 4, \(fit.parameterCount) monomials: \(String(format: "%.2f", elapsed)) s (rmse \(fit.rmse), condition \(String(format: "%.3g", fit.conditionNumber)))")
}

/// `analyze-learning-curve`: the whole analysis with `--learning-curve off` and `quick` on the
/// synthetic well at each size; prints both wall times and what quick adds (SPEC §2.8: at most
/// about 20 s on two cores at any size).
func runAnalyzeLearningCurveBenchmark(_ arguments: BenchmarkArguments) throws {
    let sizes = arguments.integers("sizes", default: [1000, 100_000, 1_000_000])
    print("rows        off (s)   quick (s)   quick − off (s)   measured b ± se        N")
    for rows in sizes {
        let table = syntheticWell(rows: rows)
        var configuration = AnalysisConfiguration()
        let t0 = monotonicSeconds()
        _ = try Analyzer.run(table, configuration)
        let off = monotonicSeconds() - t0
        configuration.learningCurvePlan = .quick
        let t1 = monotonicSeconds()
        let result = try Analyzer.run(table, configuration)
        let quick = monotonicSeconds() - t1
        let m = result.measuredLearningCurve
        let slope = m?.fit.map { String(format: "%.3f ± %.3f", $0.slope, $0.slopeStandardError ?? .nan) } ?? "-"
        let range = m.map { "\($0.sizes.first!)…\($0.sizes.last!)" } ?? "-"
        print(String(format: "%-10d  %7.2f   %9.2f   %15.2f   %@   %@", rows, off, quick, quick - off, slope, range))
    }
}
