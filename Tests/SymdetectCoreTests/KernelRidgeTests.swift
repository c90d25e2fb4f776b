import Foundation
import XCTest
@testable import SymdetectCore

final class KernelRidgeTests: XCTestCase {
    struct Oracle: Decodable {
        struct Case: Decodable {
            let name: String
            let lengthScale: Double
            let regularization: Double
            let trainFeatures: [[Double]]
            let trainLabels: [Double]
            let testFeatures: [[Double]]
            let means: [Double]
            let scales: [Double]
            let labelMean: Double
            let weights: [Double]
            let predictions: [Double]
        }
        let cases: [Case]
    }

    /// Against numpy (scripts/oracles/krr_oracle.py: dense solve, vectorized distances): the
    /// standardization, the dual weights and the predictions agree to 1e-9 relative (the systems'
    /// condition numbers are ≤ 2·10⁴, so round-off allows ~1e-12).
    func testMatchesTheNumpyOracle() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "krr_oracle", withExtension: "json", subdirectory: "Fixtures"))
        let oracle = try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: url))
        XCTAssertEqual(oracle.cases.count, 3)
        for c in oracle.cases {
            let model = try KernelRidgeRegression(features: c.trainFeatures, labels: c.trainLabels,
                                                  lengthScale: c.lengthScale, regularization: c.regularization)
            for (a, b) in zip(model.standardization.means, c.means) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b)), c.name) }
            for (a, b) in zip(model.standardization.scales, c.scales) { XCTAssertEqual(a, b, accuracy: 1e-12 * abs(b), c.name) }
            XCTAssertEqual(model.labelMean, c.labelMean, accuracy: 1e-14 * max(1, abs(c.labelMean)))
            let wScale = c.weights.map(abs).max()!
            for (a, b) in zip(model.weights, c.weights) { XCTAssertEqual(a, b, accuracy: 1e-9 * wScale, c.name) }
            let predicted = model.predict(features: c.testFeatures)
            XCTAssertEqual(predicted.count, c.predictions.count)
            for (k, (a, b)) in zip(predicted, c.predictions).enumerated() {
                XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), "\(c.name) test point \(k)")
                let point = c.testFeatures.map { $0[k] }
                XCTAssertEqual(model.predict(point), a, accuracy: 1e-14 * max(1, abs(a)))
            }
        }
    }

    /// Two points x = ∓1 (standardized: z = ∓1), labels y₁, y₂: with k = exp(−2/ℓ²) the solution is
    /// α = (−δ, δ)/(1 + λ − k), δ = (y₂ − y₁)/2, and
    /// f(x) = ȳ + δ/(1 + λ − k)·(exp(−(x − 1)²/(2ℓ²)) − exp(−(x + 1)²/(2ℓ²))).
    func testTwoPointClosedForm() throws {
        let (y1, y2, l, lambda) = (0.7, 2.3, 0.9, 0.05)
        let model = try KernelRidgeRegression(features: [[-1, 1]], labels: [y1, y2], lengthScale: l, regularization: lambda)
        let k = exp(-2 / (l * l))
        let delta = (y2 - y1) / 2
        XCTAssertEqual(model.weights[0], -delta / (1 + lambda - k), accuracy: 1e-14)
        XCTAssertEqual(model.weights[1], delta / (1 + lambda - k), accuracy: 1e-14)
        for x in [-2.0, -1, -0.3, 0, 0.5, 1, 3] {
            let expected = (y1 + y2) / 2 + delta / (1 + lambda - k) * (exp(-(x - 1) * (x - 1) / (2 * l * l)) - exp(-(x + 1) * (x + 1) / (2 * l * l)))
            XCTAssertEqual(model.predict([x]), expected, accuracy: 1e-14, "x = \(x)")
        }
        // λ → 0 interpolates.
        let exact = try KernelRidgeRegression(features: [[-1, 1]], labels: [y1, y2], lengthScale: l, regularization: 0)
        XCTAssertEqual(exact.predict([-1]), y1, accuracy: 1e-13)
        XCTAssertEqual(exact.predict([1]), y2, accuracy: 1e-13)
    }

    /// Standardization makes the model blind to the coordinates' units.
    func testPredictionsDoNotDependOnCoordinateUnits() throws {
        var rng = SeededGenerator(seed: 2)
        let x = (0..<30).map { _ in rng.uniform(-1, 1) }, y = (0..<30).map { _ in rng.uniform(-1, 1) }
        let labels = zip(x, y).map { sin(2 * $0) + $1 * $1 }
        let a = try KernelRidgeRegression(features: [x, y], labels: labels, lengthScale: 0.7, regularization: 1e-6)
        let b = try KernelRidgeRegression(features: [x.map { $0 * 1e4 }, y.map { $0 * 1e-3 + 7 }], labels: labels, lengthScale: 0.7, regularization: 1e-6)
        for (u, v) in [(0.3, -0.2), (0.9, 0.9), (-0.5, 0.1)] {
            XCTAssertEqual(a.predict([u, v]), b.predict([u * 1e4, v * 1e-3 + 7]), accuracy: 1e-9)
        }
    }

    func testRefusesBadInput() {
        XCTAssertThrowsError(try KernelRidgeRegression(features: [[]], labels: [], lengthScale: 1, regularization: 0)) {
            XCTAssertEqual($0 as? KernelRidgeError, .emptyTrainingSet)
        }
        XCTAssertThrowsError(try KernelRidgeRegression(features: [[0, 1]], labels: [1, .nan], lengthScale: 1, regularization: 0)) {
            XCTAssertEqual($0 as? KernelRidgeError, .nonFinite("label"))
        }
        XCTAssertThrowsError(try KernelRidgeRegression(features: [[0, 1]], labels: [1, 2], lengthScale: 0, regularization: 0))
        XCTAssertThrowsError(try KernelRidgeRegression(features: [[0, 1]], labels: [1, 2], lengthScale: 1, regularization: -1))
        // Two identical points and λ = 0: K is singular.
        XCTAssertThrowsError(try KernelRidgeRegression(features: [[0, 0, 1]], labels: [1, 2, 3], lengthScale: 1, regularization: 0)) {
            guard case .notPositiveDefinite? = $0 as? KernelRidgeError else { return XCTFail("\($0)") }
        }
    }

    // MARK: Cross-validation

    /// On a smooth noise-free function the search picks a small λ and predicts well; on heavily
    /// noisy labels it regularizes (the prediction stays close to the clean function instead of
    /// following the noise). The same seed gives the same choice.
    func testCrossValidationAdaptsTheRegularizationToTheNoise() throws {
        var rng = SeededGenerator(seed: 9)
        let x = (0..<120).map { _ in rng.uniform(-2, 2) }
        let clean = x.map { sin(2 * $0) }
        let smooth = try KernelRidgeRegression.crossValidated(features: [x], labels: clean)
        XCTAssertLessThanOrEqual(smooth.model.regularization, 1e-6)
        XCTAssertLessThan(smooth.validationRMSE, 1e-3)
        XCTAssertEqual(smooth.folds, 5)
        let test = (0..<50).map { _ in rng.uniform(-1.9, 1.9) }
        let rmse = (zip(smooth.model.predict(features: [test]), test.map { sin(2 * $0) }).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 50).squareRoot()
        XCTAssertLessThan(rmse, 1e-3)

        let noisy = clean.map { $0 + 0.5 * rng.nextGaussian() }
        let rough = try KernelRidgeRegression.crossValidated(features: [x], labels: noisy)
        XCTAssertGreaterThan(rough.validationRMSE, 0.4, "noise of sd 0.5 cannot be predicted")
        let roughError = (zip(rough.model.predict(features: [test]), test.map { sin(2 * $0) }).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 50).squareRoot()
        XCTAssertLessThan(roughError, 0.25, "a regularized fit stays near the clean function")

        let again = try KernelRidgeRegression.crossValidated(features: [x], labels: clean)
        XCTAssertEqual(again.model.lengthScale, smooth.model.lengthScale)
        XCTAssertEqual(again.model.regularization, smooth.model.regularization)
        XCTAssertEqual(again.validationRMSE, smooth.validationRMSE)
    }

    /// Rows of one group stay in one fold: with each sample duplicated, ungrouped folds validate
    /// on copies of training rows (validation error ≈ 0 even for pure noise), grouped ones do not.
    func testGroupsKeepDuplicatesInOneFold() throws {
        var rng = SeededGenerator(seed: 10)
        let x = (0..<20).map { _ in rng.uniform(-1, 1) }
        let noise = (0..<20).map { _ in rng.nextGaussian() }
        let features = [x + x], labels = noise + noise
        let groups = Array(0..<20) + Array(0..<20)
        let leaky = try KernelRidgeRegression.crossValidated(features: features, labels: labels)
        let grouped = try KernelRidgeRegression.crossValidated(features: features, labels: labels, groups: groups)
        XCTAssertLessThan(leaky.validationRMSE, 0.5 * grouped.validationRMSE)
        XCTAssertGreaterThan(grouped.validationRMSE, 0.7, "pure noise of sd 1 cannot be predicted")
        // Validation only on the first copy gives the same grouped picture.
        let firstOnly = try KernelRidgeRegression.crossValidated(features: features, labels: labels, groups: groups,
                                                                 validationRows: (0..<40).map { $0 < 20 })
        XCTAssertGreaterThan(firstOnly.validationRMSE, 0.7)
    }

    /// The point budget bounds the cross-validation; the final model still uses every row.
    func testCrossValidationBudget() throws {
        var rng = SeededGenerator(seed: 11)
        let x = (0..<300).map { _ in rng.uniform(-2, 2) }
        var grid = HyperparameterGrid.standard
        grid.maximumPoints = 100
        let r = try KernelRidgeRegression.crossValidated(features: [x], labels: x.map { cos($0) }, grid: grid)
        XCTAssertEqual(r.crossValidationRows, 100)
        XCTAssertEqual(r.model.trainingCount, 300)
    }

    // MARK: Power laws

    func testPowerLawFitRecoversExponentAndStandardError() throws {
        let sizes = [16, 32, 64, 128, 256]
        let exact = try XCTUnwrap(PowerLawFit(sizes: sizes, errors: sizes.map { 3 * pow(Double($0), -0.6) }))
        XCTAssertEqual(exact.prefactor, 3, accuracy: 1e-12)
        XCTAssertEqual(exact.slope, 0.6, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(exact.slopeStandardError), 0, accuracy: 1e-12)
        // Residuals ±ε alternating in log e: closed-form OLS standard error.
        let eps = 0.05
        let signs: [Double] = [1, -1, 1, -1, 1]
        let noisy = try XCTUnwrap(PowerLawFit(sizes: sizes, errors: zip(sizes, signs).map { 3 * pow(Double($0), -0.6) * exp(eps * $1) }))
        let x = sizes.map { log(Double($0)) }
        let xm = x.reduce(0, +) / 5
        let sxx = x.map { ($0 - xm) * ($0 - xm) }.reduce(0, +)
        var sxy = 0.0
        for (xi, si) in zip(x, signs) { sxy += (xi - xm) * eps * si }
        let beta = sxy / sxx
        XCTAssertEqual(noisy.slope, 0.6 - beta, accuracy: 1e-12)
        let meanSign = signs.reduce(0, +) / 5
        var rss = 0.0
        for (xi, si) in zip(x, signs) {
            let r = eps * si - (eps * meanSign + beta * (xi - xm))
            rss += r * r
        }
        XCTAssertEqual(try XCTUnwrap(noisy.slopeStandardError), (rss / 3 / sxx).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(PowerLawFit(sizes: [16, 32], errors: [1, 0.5])?.slopeStandardError)
        XCTAssertNil(PowerLawFit(sizes: [16], errors: [1]))
    }

    func testPlateauFitRecoversTheFloor() throws {
        let model = LearningCurveModel(prefactor: 2, slope: 0.7)
        let sizes = [16, 32, 64, 128, 256, 512]
        for floor in [0.01, 0.05] {
            let errors: [Double?] = sizes.map { model.augmented(Double($0), orbitSize: 4, floor: floor) }
            let f = try XCTUnwrap(PlateauFit.floor(sizes: sizes, errors: errors, baseline: model, factor: 4))
            XCTAssertEqual(f, floor, accuracy: 1e-6 * floor)
        }
        // Exact symmetry: no floor.
        let clean: [Double?] = sizes.map { model.baseline(Double(4 * $0)) }
        XCTAssertEqual(try XCTUnwrap(PlateauFit.floor(sizes: sizes, errors: clean, baseline: model, factor: 4)), 0, accuracy: 1e-6)
        XCTAssertNil(PlateauFit.floor(sizes: sizes, errors: sizes.map { _ in nil }, baseline: model, factor: 4))
    }
}
