import Foundation
import XCTest
@testable import SymdetectCore

/// Acceptance tests of the learning-curve measurement against SPEC §1: an exact group shifts the
/// curve by |G| in N, an approximate symmetry stops it at the predicted floor. Sizes are small so
/// each test stays well under a minute in a debug build; `symdetect-bench learning-curve` runs
/// the same measurements at larger N.
final class LearningCurveTests: XCTestCase {
    /// Morse well on [−0.6, 0.6] bohr, reflect(x) about the minimum: y_a = D[2 sinh(ax) − sinh(2ax)]
    /// is ≈ 70 % of sd(y), so the augmented curves flatten at once, at the naive floor RMS(y_a) =
    /// 0.033 Eh and the hessian floor RMS((y − h)_s) = 0.011 Eh. Nearby images carry conflicting
    /// labels (y(x) next to y(−x)), which act like label noise of that size and add an error that
    /// only fades as N grows (≈ 30 % above the floor at N = 32–128, ≈ 3 % at N = 512), so the sizes
    /// reach 512. The measured plateaus (mean of the last two sizes) must agree with the predicted
    /// floors within 30 %.
    func testMorsePlateausMatchPredictedFloors() throws {
        let table = MorseOscillator().samples(count: 1400, halfWidth: 0.6, seed: 3)
        var configuration = LearningCurveConfiguration(operations: ["reflect(x)"], schemes: [.naive, .hessian],
                                                       sizes: [64, 128, 256, 512], repeats: 3, testSize: 400, seed: 7)
        configuration.grid.maximumPoints = 500   // hyper-parameters from ≤ 500 rows keep the test quick
        let result = try LearningCurve.run(table, configuration, dataPath: "morse.csv")
        XCTAssertEqual(result.group.order, 2)
        XCTAssertEqual(result.sizes, [64, 128, 256, 512])
        XCTAssertEqual(result.predictedFloors.map(\.operation), ["reflect(x)"])
        XCTAssertEqual(result.predictedFloors.first?.verdict, "absent", "a 70 % breaking is no usable symmetry")

        // The predicted floors are close to the closed form of the naive floor: RMS of y_a
        // over the uniform distribution on [−0.6, 0.6].
        let morse = MorseOscillator()
        let closedForm = ((0..<6000).map { k -> Double in
            let x = -0.6 + 1.2 * (Double(k) + 0.5) / 6000
            return morse.antisymmetricPart(x) * morse.antisymmetricPart(x)
        }.reduce(0, +) / 6000).squareRoot()
        let naive = try XCTUnwrap(result.comparison(.naive))
        XCTAssertEqual(try XCTUnwrap(naive.predictedRMSE), closedForm, accuracy: 0.1 * closedForm)

        for scheme in [AugmentationScheme.naive, .hessian] {
            let c = try XCTUnwrap(result.comparison(scheme))
            XCTAssertTrue(c.plateauReached, "\(scheme): the curve must have flattened")
            XCTAssertEqual(c.plateauMethod, "last two sizes")
            let ratio = try XCTUnwrap(c.ratio)
            XCTAssertEqual(ratio, 1, accuracy: 0.3, "\(scheme): plateau \(c.plateau ?? .nan) vs predicted \(c.predictedRMSE ?? .nan)")
            XCTAssertEqual(try XCTUnwrap(c.maeRatio), 1, accuracy: 0.3, "\(scheme) MAE")
        }
        // The hessian scheme removes the cubic breaking: a lower floor than naive.
        XCTAssertLessThan(try XCTUnwrap(result.comparison(.hessian)?.plateau), 0.6 * (naive.plateau ?? 0))
        // The baseline keeps falling far below both floors.
        let last = try XCTUnwrap(result.baseline.points.last?.rmseMean)
        XCTAssertLessThan(last, 0.01 * closedForm)
        XCTAssertGreaterThan(try XCTUnwrap(result.fit?.slope), 0.5)
    }

    /// SPEC §1: augmenting N samples with an exact group of order |G| acts like |G|·N samples.
    /// The 3d_xy density is exactly invariant under the 90° rotation about z (C4, |G| = 4), whose
    /// only fixed points are the z axis, where the density vanishes: the images of a sample lie
    /// in the other three quadrants, far from it, and each counts like a fresh sample. So the
    /// augmented RMSE at N must match the baseline at 4N within the spread of the repeats, the
    /// measured gain must be close to 4, and the slope over the matching training-set sizes is
    /// unchanged within its error. (A wrong image or label gives aug(N) ≳ base(N), a gain ≲ 1.)
    func testExactRotationGroupActsLikeGTimesMoreData() throws {
        let result = try Self.rotationResult.get()
        XCTAssertEqual(result.group.order, 4)
        let base = Dictionary(uniqueKeysWithValues: result.baseline.points.map { ($0.n, $0) })
        let aug = try XCTUnwrap(result.series(.naive))
        XCTAssertEqual(aug.points.compactMap { $0.rmseMean == nil ? $0.n : nil }, [256, 512], "4N > 512 rows is skipped")
        for n in [32, 64, 128] {
            let a = try XCTUnwrap(aug.points.first { $0.n == n })
            let b = try XCTUnwrap(base[4 * n])
            let (am, bm) = (try XCTUnwrap(a.rmseMean), try XCTUnwrap(b.rmseMean))
            XCTAssertLessThanOrEqual(abs(am - bm), (a.rmseSD ?? 0) + (b.rmseSD ?? 0),
                                     "N = \(n): augmented \(am) ± \(a.rmseSD ?? .nan) vs baseline at 4N \(bm) ± \(b.rmseSD ?? .nan)")
            XCTAssertLessThan(am, 0.5 * (base[n]?.rmseMean ?? 0), "N = \(n): augmentation must gain over the baseline at N")
        }
        let gains = try XCTUnwrap(result.gains(.naive))
        XCTAssertEqual(gains.groupOrder, 4)
        XCTAssertEqual(gains.perSize.map(\.n), [32, 64, 128])
        XCTAssertFalse(gains.perSize.contains { $0.extrapolated }, "4N lies inside the measured baseline sizes")
        XCTAssertEqual(try XCTUnwrap(gains.typicalGain), 4, accuracy: 0.25 * 4)

        // Slopes over the same training-set sizes: augmented N = 32, 64, 128 against baseline
        // 4N = 128, 256, 512, each a log–log fit through the per-repeat points.
        func perRepeatFit(_ points: [LearningCurvePoint]) throws -> PowerLawFit {
            let sizes = points.flatMap { p in p.rmse.map { _ in p.n } }
            return try XCTUnwrap(PowerLawFit(sizes: sizes, errors: points.flatMap(\.rmse)))
        }
        let augFit = try perRepeatFit(aug.points.filter { [32, 64, 128].contains($0.n) })
        let baseFit = try perRepeatFit(result.baseline.points.filter { [128, 256, 512].contains($0.n) })
        let se = ((augFit.slopeStandardError ?? 0) * (augFit.slopeStandardError ?? 0)
                  + (baseFit.slopeStandardError ?? 0) * (baseFit.slopeStandardError ?? 0)).squareRoot()
        XCTAssertLessThan(abs(augFit.slope - baseFit.slope), 2 * se,
                          "slopes \(augFit.slope) ± \(augFit.slopeStandardError ?? .nan) vs \(baseFit.slope) ± \(baseFit.slopeStandardError ?? .nan)")
    }

    /// Where the label varies across a mirror plane the images of a sample near it fall next to
    /// it and add little: the baseline at |G|·N has independent samples on both sides there. The
    /// axis reflections of the 3d_xy density (|G| = 8) include z → −z, whose plane cuts all four
    /// lobes, so their measured gain falls clearly short of |G| (≈ 0.6·|G|), while on the same
    /// splits the C4 rotation (no mirror plane) reaches ≈ |G|. Augmentation still pays: near one
    /// plane an image is worth half a sample, so the gain stays above |G|/4.
    func testMirrorPlanesThroughTheLabelLowerTheGain() throws {
        let mirrors = try LearningCurve.run(Self.d3xy, Self.hydrogenConfiguration(["reflect(x)", "reflect(y)", "reflect(z)"]))
        let rotation = try Self.rotationResult.get()
        XCTAssertEqual(mirrors.group.order, 8)
        let mirrorGain = try XCTUnwrap(mirrors.gains(.naive)?.typicalGain)
        let rotationGain = try XCTUnwrap(rotation.gains(.naive)?.typicalGain)
        XCTAssertEqual(mirrors.gains(.naive)?.perSize.map(\.n), [32, 64])
        XCTAssertLessThan(mirrorGain / 8, 0.8, "mirror planes through the lobes: gain \(mirrorGain) of 8")
        XCTAssertGreaterThan(mirrorGain, 8 / 4)
        XCTAssertLessThan(mirrorGain / 8, rotationGain / 4 - 0.1, "fractions of |G|: mirrors \(mirrorGain)/8, rotation \(rotationGain)/4")
    }

    static let d3xy = HydrogenOrbital.d3xy.samples(count: 1100, seed: 2)
    /// The C4 measurement both tests above read (run once).
    static let rotationResult = Result {
        try LearningCurve.run(d3xy, hydrogenConfiguration(["rotate(x,y,90)"]), dataPath: "3dxy.csv")
    }

    /// Baseline sizes 32…512, the same sizes augmented up to 512 training rows; six repeats
    /// against 500 held-out points; the operations act about the nucleus.
    static func hydrogenConfiguration(_ operations: [String]) -> LearningCurveConfiguration {
        var c = LearningCurveConfiguration(
            operations: operations, schemes: [.naive], sizes: [32, 64, 128, 256, 512], repeats: 6, testSize: 500, seed: 4,
            fit: FitConfiguration(center: .origin, order: .fixed(2)), maximumTrainingPoints: 512, predictFloors: false)
        c.grid.maximumPoints = 600
        return c
    }

    /// Same seed, same bytes — whether the repeats run concurrently or not.
    func testResultIsDeterministic() throws {
        let table = MorseOscillator().samples(count: 200, halfWidth: 0.5, seed: 4)
        var configuration = LearningCurveConfiguration(operations: ["reflect(x)"], schemes: [.naive, .taylor], sizes: [16, 32],
                                                       repeats: 2, testSize: 50, seed: 3, predictFloors: false)
        let parallel = try LearningCurve.run(table, configuration)
        configuration.parallel = false
        let serial = try LearningCurve.run(table, configuration)
        XCTAssertEqual(try parallel.jsonData(), try serial.jsonData())
        XCTAssertEqual(parallel.svg, serial.svg)
        configuration.seed = 4
        let other = try LearningCurve.run(table, configuration)
        XCTAssertNotEqual(other.baseline.points[0].rmse, serial.baseline.points[0].rmse)
    }

    func testInvalidSettingsAreRefused() throws {
        let table = MorseOscillator().samples(count: 100, halfWidth: 0.5, seed: 4)
        func error(_ c: LearningCurveConfiguration) -> Error? {
            do { _ = try LearningCurve.run(table, c); return nil } catch { return error }
        }
        XCTAssertTrue(error(LearningCurveConfiguration(operations: ["reflect(x)"], sizes: [16, 200], testSize: 20)) is LearningCurveError)
        XCTAssertTrue(error(LearningCurveConfiguration(operations: ["reflect(q)"], sizes: [16])) is OperationSyntaxError)
        XCTAssertEqual(error(LearningCurveConfiguration(operations: [], sizes: [16])) as? AugmentationError, .noOperations)
        XCTAssertTrue(error(LearningCurveConfiguration(operations: ["reflect(x)"], testSize: 95)) is LearningCurveError,
                      "5 rows left: below the smallest size of the doubling grid")
    }

    func testDefaultSizesDoubleUpToTheLimit() {
        XCTAssertEqual(LearningCurveConfiguration.doublingSizes(available: 480, maximumSize: 1024), [16, 32, 64, 128, 256])
        XCTAssertEqual(LearningCurveConfiguration.doublingSizes(available: 5000, maximumSize: 1024), [16, 32, 64, 128, 256, 512, 1024])
        XCTAssertEqual(LearningCurveConfiguration.defaultTestSize(rows: 600), 120)
        XCTAssertEqual(LearningCurveConfiguration.defaultTestSize(rows: 50), 20)
        XCTAssertEqual(LearningCurveConfiguration.defaultTestSize(rows: 100_000), 1000)
    }

    // MARK: JSON and SVG

    static func sampleResult() throws -> LearningCurveResult {
        let table = MorseOscillator().samples(count: 200, halfWidth: 0.5, seed: 4)
        return try LearningCurve.run(table, LearningCurveConfiguration(operations: ["reflect(x)"], schemes: [.naive], sizes: [16, 32, 64],
                                                                       repeats: 2, testSize: 50, seed: 3), dataPath: "morse.csv")
    }

    func testJSONRoundTripsAndLoadsThePowerLaw() throws {
        let result = try Self.sampleResult()
        let data = try result.jsonData()
        let decoded = try JSONDecoder().decode(LearningCurveResult.self, from: data)
        XCTAssertEqual(decoded, result)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schemaVersion"] as? Int, 1)
        for key in ["input", "operations", "group", "sizes", "baseline", "augmented", "fit", "comparisons", "predictedFloors", "kernel", "warnings"] {
            XCTAssertNotNil(object[key], key)
        }
        let point = try XCTUnwrap(((object["baseline"] as? [String: Any])?["points"] as? [[String: Any]])?.first)
        for key in ["n", "maeMean", "maeSD", "rmseMean", "rmseSD", "skipped"] { XCTAssertTrue(point.keys.contains(key), key) }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symdetect-lc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lc.json").path
        try AtomicFile.write(data, to: path)
        let loaded = try LearningCurveResult.load(path: path)
        let fit = try XCTUnwrap(result.fit)
        XCTAssertEqual(loaded.prefactor, fit.prefactor)
        XCTAssertEqual(loaded.slope, fit.slope)

        // Errors: unreadable, not a learning curve, wrong version, no fit.
        XCTAssertThrowsError(try LearningCurveResult.load(path: dir.appendingPathComponent("missing.json").path)) {
            guard case .unreadable? = $0 as? InputError else { return XCTFail("\($0)") }
        }
        for (name, text) in [("bad.json", "{\"a\": 1}"), ("v2.json", "{\"schemaVersion\": 2, \"fit\": {\"prefactor\": 1, \"slope\": 0.5}}"),
                             ("nofit.json", "{\"schemaVersion\": 1, \"fit\": null}"),
                             ("flat.json", "{\"schemaVersion\": 1, \"fit\": {\"prefactor\": 1, \"slope\": -0.1}}")] {
            let p = dir.appendingPathComponent(name).path
            try AtomicFile.write(text, to: p)
            XCTAssertThrowsError(try LearningCurveResult.load(path: p), name) {
                guard case .badData(let path, _, _, _, _, _)? = $0 as? InputError else { return XCTFail("\($0)") }
                XCTAssertEqual(path, p)
            }
        }
        let minimal = dir.appendingPathComponent("min.json").path
        try AtomicFile.write("{\"schemaVersion\": 1, \"fit\": {\"prefactor\": 2.5, \"slope\": 0.75}, \"future\": true}", to: minimal)
        let m = try LearningCurveResult.load(path: minimal)
        XCTAssertEqual(m.prefactor, 2.5)
        XCTAssertEqual(m.slope, 0.75)
    }

    func testSVGPlotsCurvesErrorBarsAndFloors() throws {
        let result = try Self.sampleResult()
        let svg = result.svg
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2, "baseline and naive")
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3 + 3 + 2, "a marker per size and curve, plus legend markers")
        XCTAssertTrue(svg.contains("stroke-dasharray=\"7,5\""), "predicted floor")
        XCTAssertTrue(svg.contains("naive floor (predicted)"))
        XCTAssertTrue(svg.contains("morse.csv: reflect(x) (|G| = 2)"))
        XCTAssertEqual(svg, try Self.sampleResult().svg)
        let table = result.textTable
        XCTAssertTrue(table.contains("baseline fit: RMSE ≈ a·N^(−b)"), table)
        XCTAssertTrue(table.contains("naive"), table)
    }
}
