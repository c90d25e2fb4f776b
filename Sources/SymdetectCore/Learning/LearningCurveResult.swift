import Foundation

/// The errors measured at one training size: per repeat and their mean and standard deviation
/// (sample sd, divisor R − 1; 0 for a single repeat). All nil when the size was skipped
/// (`skipped` says why).
public struct LearningCurvePoint: Codable, NullEncoded, Sendable, Equatable {
    /// Unique labelled samples N.
    public var n: Int
    /// Rows the model was trained on (N times the number of group elements when augmented).
    public var trainingPoints: Int
    public var maeMean: Double?
    public var maeSD: Double?
    public var rmseMean: Double?
    public var rmseSD: Double?
    public var mae: [Double]
    public var rmse: [Double]
    /// The cross-validated hyper-parameters of each repeat.
    public var lengthScales: [Double]
    public var regularizations: [Double]
    public var skipped: String?

    enum CodingKeys: String, CodingKey {
        case n, trainingPoints, maeMean, maeSD, rmseMean, rmseSD, mae, rmse, lengthScales, regularizations, skipped
    }
}

/// One learning curve: the baseline (no augmentation) or one augmentation scheme.
public struct LearningCurveSeries: Codable, NullEncoded, Sendable, Equatable {
    /// "baseline", "naive", "hessian" or "taylor".
    public var scheme: String
    /// Training rows per unique sample: 1 for the baseline, the group order when augmented.
    public var factor: Int
    public var points: [LearningCurvePoint]

    public var sizes: [Int] { points.map(\.n) }
}

/// e(N) = a·N^(−b) fitted to the baseline's mean RMSE.
public struct PowerLawSummary: Codable, NullEncoded, Sendable, Equatable {
    public var prefactor: Double
    public var slope: Double
    public var slopeStderr: Double?
    public var sizes: [Int]

    enum CodingKeys: String, CodingKey { case prefactor, slope, slopeStderr, sizes }
}

/// A scheme's measured plateau next to the floor `analyze` predicts for it.
public struct PlateauComparison: Codable, NullEncoded, Sendable, Equatable {
    public var scheme: String
    /// The measured plateau: `plateauLastTwo` once the curve has flattened (`plateauReached`),
    /// otherwise the extrapolated `plateauFit`.
    public var plateau: Double?
    /// "last two sizes" or "fit".
    public var plateauMethod: String
    /// f of e_aug(N) ≈ sqrt((a(|G|N)^(−b))² + f²) fitted to the scheme's mean RMSE over all sizes
    /// (a, b from the baseline). Biased high when small sizes carry extra variance from the
    /// conflicting labels of nearby images, hence not the primary estimate once the curve is flat.
    public var plateauFit: Double?
    /// Mean of the last two measured sizes' mean RMSE and MAE.
    public var plateauLastTwo: Double?
    public var maePlateauLastTwo: Double?
    /// Whether the curve has flattened: over the last doubling of N its RMSE fell by less than 15 %.
    public var plateauReached: Bool
    /// The predicted floor (RMSE, MAE) from the symmetry analysis of the whole dataset.
    public var predictedRMSE: Double?
    public var predictedMAE: Double?
    /// plateau / predictedRMSE, plateauFit / predictedRMSE, maePlateauLastTwo / predictedMAE.
    public var ratio: Double?
    public var ratioFit: Double?
    public var maeRatio: Double?

    enum CodingKeys: String, CodingKey {
        case scheme, plateau, plateauMethod, plateauFit, plateauLastTwo, maePlateauLastTwo, plateauReached, predictedRMSE, predictedMAE, ratio, ratioFit, maeRatio
    }
}

/// The predicted floors of one operation (from `Analyzer.run` on the whole dataset).
public struct PredictedOperationFloors: Codable, NullEncoded, Sendable, Equatable {
    public var operation: String
    public var verdict: String
    public var floors: SchemeFloors
}

/// How the models were trained and validated.
public struct KernelSummary: Codable, NullEncoded, Sendable, Equatable {
    public var kernel: String
    public var folds: Int
    public var lengthScales: [Double]
    public var regularizations: [Double]
    public var maximumCrossValidationPoints: Int
    public var maximumTrainingPoints: Int
}

public struct AugmentationGroupSummary: Codable, NullEncoded, Sendable, Equatable {
    public var order: Int
    public var continuous: Bool
    public var elements: [String]
}

/// Everything `learning-curve` measured (the `--json` document, schemaVersion 1).
public struct LearningCurveResult: Codable, NullEncoded, Sendable, Equatable {
    public var schemaVersion: Int
    public var input: InputSection
    public var operations: [String]
    public var group: AugmentationGroupSummary
    public var schemes: [String]
    public var sizes: [Int]
    public var testSize: Int
    public var repeats: Int
    public var seed: UInt64
    public var kernel: KernelSummary
    public var baseline: LearningCurveSeries
    public var augmented: [LearningCurveSeries]
    /// The power law fitted to the baseline (nil with fewer than two usable sizes).
    public var fit: PowerLawSummary?
    /// Per scheme, the measured data gain at every augmented size (baseline size with the same
    /// mean RMSE, over N), to compare with the group order.
    public var gains: [GainSummary]
    public var comparisons: [PlateauComparison]
    public var predictedFloors: [PredictedOperationFloors]
    /// How the predicted floor of a scheme was formed from the operations' floors.
    public var predictedFloorMethod: String
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case schemaVersion, input, operations, group, schemes, sizes, testSize, repeats, seed, kernel
        case baseline, augmented, fit, gains, comparisons, predictedFloors, predictedFloorMethod, warnings
    }

    public func jsonData() throws -> Data { try DocumentEncoder.encode(self) }

    public func series(_ scheme: AugmentationScheme) -> LearningCurveSeries? {
        augmented.first { $0.scheme == scheme.rawValue }
    }

    public func gains(_ scheme: AugmentationScheme) -> GainSummary? {
        gains.first { $0.scheme == scheme.rawValue }
    }

    public func comparison(_ scheme: AugmentationScheme) -> PlateauComparison? {
        comparisons.first { $0.scheme == scheme.rawValue }
    }
}

extension LearningCurveResult {
    /// The measured baseline power law (prefactor a, slope b) of a `learning-curve --json`
    /// file, for `analyze --learning-curve FILE.json`.
    ///
    /// Reads only `schemaVersion` (must be 1) and `fit.prefactor`, `fit.slope`, so files written
    /// by later versions with more fields still load. Throws `InputError.unreadable` when the file
    /// cannot be read and `InputError.badData` when it is not such a document or has no fit (or a
    /// non-positive prefactor or slope).
    public static func load(path: String) throws -> (prefactor: Double, slope: Double) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        struct Minimal: Decodable {
            struct Fit: Decodable { let prefactor: Double; let slope: Double }
            let schemaVersion: Int
            let fit: Fit?
        }
        func bad(_ reason: String) -> InputError {
            .badData(path: path, line: nil, column: nil, columnName: nil, text: nil, reason: reason)
        }
        let document: Minimal
        do {
            document = try JSONDecoder().decode(Minimal.self, from: data)
        } catch {
            throw bad("not a learning-curve JSON document (expected {\"schemaVersion\": 1, \"fit\": {\"prefactor\", \"slope\"}, ...} as the learning-curve command writes it)")
        }
        guard document.schemaVersion == 1 else { throw bad("unsupported schemaVersion \(document.schemaVersion) (expected 1)") }
        guard let fit = document.fit else { throw bad("the learning curve has no fitted power law (too few sizes were measured)") }
        guard fit.prefactor > 0, fit.prefactor.isFinite, fit.slope > 0, fit.slope.isFinite else {
            throw bad("the fitted power law has a non-positive prefactor or slope (a = \(fit.prefactor), b = \(fit.slope)): the baseline did not fall with N")
        }
        return (fit.prefactor, fit.slope)
    }
}
