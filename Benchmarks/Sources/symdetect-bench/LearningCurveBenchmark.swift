import Foundation
import SymdetectCore

// `symdetect-bench learning-curve`: wall time of LearningCurve.run on a built-in example or a CSV,
// with the measured plateaus next to the predicted floors.
//
//     symdetect-bench learning-curve [--example morse|hydrogen-2pz|water] [--data PATH]
//         [--op OP ...] [--scheme S ...] [--max-n N] [--sizes 16,32,...] [--repeats R]
//         [--test-size M] [--rows ROWS] [--center auto|origin|...] [--cv-points P] [--json PATH]
//
// Defaults per example: morse — 4000 samples of the Morse well on [−0.6, 0.6] bohr, reflect(x),
// naive and hessian; hydrogen-2pz — 5000 samples of the 2p_z density in [−6, 6]³ about the
// origin, reflect(x), reflect(y), reflect(z) (|G| = 8), naive; water — examples/water.csv
// (run from the repository root), reflect(q1), naive and hessian.

struct LearningCurveBenchmarkOptions {
    var example = "morse"
    var data: String?
    var operations: [String] = []
    var schemes: [AugmentationScheme] = []
    var maximumSize: Int?
    var sizes: [Int]?
    var repeats = 5
    var testSize: Int?
    var rows: Int?
    var center: String?
    var crossValidationPoints: Int?
    var json: String?

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            guard i + 1 < arguments.count else { throw BenchmarkFailure(description: "\(arguments[i]) needs a value") }
            i += 1
            return arguments[i]
        }
        func integer() throws -> Int {
            let text = try value()
            guard let v = Int(text), v > 0 else { throw BenchmarkFailure(description: "\(arguments[i - 1]) needs a positive integer, got '\(text)'") }
            return v
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--example": example = try value()
            case "--data": data = try value()
            case "--op": operations.append(try value())
            case "--scheme":
                let text = try value()
                guard let s = AugmentationScheme(rawValue: text) else { throw BenchmarkFailure(description: "unknown scheme '\(text)'") }
                schemes.append(s)
            case "--max-n": maximumSize = try integer()
            case "--sizes": sizes = try value().split(separator: ",").map { Int($0) ?? 0 }
            case "--repeats": repeats = try integer()
            case "--test-size": testSize = try integer()
            case "--rows": rows = try integer()
            case "--center": center = try value()
            case "--cv-points": crossValidationPoints = try integer()
            case "--json": json = try value()
            default: throw BenchmarkFailure(description: "unknown option '\(arguments[i])'")
            }
            i += 1
        }
    }
}

func runLearningCurveBenchmark(_ arguments: [String]) throws {
    let options = try LearningCurveBenchmarkOptions(arguments)
    var table: SampleTable
    var operations: [String]
    var schemes: [AugmentationScheme]
    var center = CenterChoice.auto
    var name: String
    if let path = options.data {
        table = try CSVReader.read(path: path)
        operations = []
        schemes = [.naive]
        name = path
    } else {
        switch options.example {
        case "morse":
            table = MorseOscillator().samples(count: options.rows ?? 4000, halfWidth: 0.6, seed: 3)
            operations = ["reflect(x)"]
            schemes = [.naive, .hessian]
            name = "Morse well (D = 0.225, a = 1.1741, x in [-0.6, 0.6])"
        case "hydrogen-2pz":
            table = HydrogenOrbital.p2z.samples(count: options.rows ?? 5000, seed: 5)
            operations = ["reflect(x)", "reflect(y)", "reflect(z)"]
            schemes = [.naive]
            center = .origin
            name = "hydrogen 2pz density in [-6, 6]^3"
        case "water":
            table = try CSVReader.read(path: "examples/water.csv")
            operations = ["reflect(q1)"]
            schemes = [.naive, .hessian]
            name = "examples/water.csv"
        default:
            throw BenchmarkFailure(description: "unknown example '\(options.example)' (morse, hydrogen-2pz, water)")
        }
    }
    if !options.operations.isEmpty { operations = options.operations }
    if !options.schemes.isEmpty { schemes = options.schemes }
    if let text = options.center {
        guard let c = CenterChoice(argument: text) else { throw BenchmarkFailure(description: "bad --center '\(text)'") }
        center = c
    }
    guard !operations.isEmpty else { throw BenchmarkFailure(description: "--data needs at least one --op") }
    var configuration = LearningCurveConfiguration(operations: operations, schemes: schemes, sizes: options.sizes,
                                                   repeats: options.repeats, testSize: options.testSize,
                                                   fit: FitConfiguration(center: center))
    if let n = options.maximumSize { configuration.maximumSize = n }
    if let p = options.crossValidationPoints { configuration.grid.maximumPoints = p }
    print("learning-curve benchmark: \(name), \(table.count) rows, \(operations.joined(separator: ", ")), schemes \(schemes.map(\.rawValue).joined(separator: ", ")), \(options.repeats) repeats")
    let start = monotonicSeconds()
    let result = try LearningCurve.run(table, configuration, dataPath: options.data ?? options.example)
    let elapsed = monotonicSeconds() - start
    print(result.textTable)
    for c in result.comparisons {
        print("\(c.scheme): MAE plateau (last two) \(c.maePlateauLastTwo.map { String(format: "%.4g", $0) } ?? "-"), predicted MAE \(c.predictedMAE.map { String(format: "%.4g", $0) } ?? "-"), MAE ratio \(c.maeRatio.map { String(format: "%.3f", $0) } ?? "-"), RMSE ratio (fit) \(c.ratioFit.map { String(format: "%.3f", $0) } ?? "-")")
    }
    for w in result.warnings { print("warning: \(w)") }
    print(String(format: "wall time: %.1f s (largest N = %d)", elapsed, result.sizes.last ?? 0))
    if let json = options.json { try AtomicFile.write(try result.jsonData(), to: json) }
}
