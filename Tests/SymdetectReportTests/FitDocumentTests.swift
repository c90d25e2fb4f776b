import Foundation
import SymdetectCore
@testable import SymdetectReport
import XCTest

final class FitDocumentTests: XCTestCase {
    /// Exact quadratic y = 1 + 2u + 3u² + uv − v² about the origin: coefficients are the oracle.
    func testSectionsMirrorTheFit() throws {
        var rng = SeededGenerator(seed: 4)
        var u: [Double] = [], v: [Double] = [], y: [Double] = []
        for _ in 0..<30 {
            let a = rng.uniform(-1, 1), b = rng.uniform(-1, 1)
            u.append(a); v.append(b); y.append(1 + 2 * a + 3 * a * a + a * b - b * b)
        }
        let table = SampleTable(featureNames: ["u", "v"], labelName: "y", features: [u, v], labels: y)
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .origin, order: .fixed(2)))
        let document = FitDocument(input: InputSection(path: "q.csv", table: table), outcome: outcome)
        XCTAssertEqual(document.schemaVersion, 1)
        XCTAssertEqual(document.input, InputSection(path: "q.csv", rows: 30, features: ["u", "v"], label: "y"))
        let expected: [String: Double] = ["1": 1, "u": 2, "v": 0, "u^2": 3, "u*v": 1, "v^2": -1]
        XCTAssertEqual(Set(document.fit.coefficients.map(\.monomial)), Set(expected.keys))
        for entry in document.fit.coefficients {
            XCTAssertEqual(try XCTUnwrap(entry.value), expected[entry.monomial]!, accuracy: 1e-12, entry.monomial)
        }
        XCTAssertEqual(document.fit.centerKind, "origin")
        let hessian: [[Double]] = [[6, 1], [1, -2]]
        for i in 0..<2 { for j in 0..<2 { XCTAssertEqual(try XCTUnwrap(document.fit.hessian[i][j]), hessian[i][j], accuracy: 1e-12) } }
        XCTAssertEqual(document.fit.stationaryKind, "saddle of index 1")
        XCTAssertEqual(document.fit.cubic, [])

        // Round trip and determinism.
        let data = try document.jsonData()
        XCTAssertEqual(try JSONDecoder().decode(FitDocument.self, from: data), document)
        XCTAssertEqual(try document.jsonData(), data)
        XCTAssertEqual(data.last, UInt8(ascii: "\n"))
    }

    /// A rank-deficient design (v = −u) has an infinite condition number and undefined standard
    /// errors: they must be encoded as null, not crash the encoder or disappear.
    func testNonFiniteAndUndefinedValuesEncodeAsNull() throws {
        var rng = SeededGenerator(seed: 9)
        var u: [Double] = [], y: [Double] = []
        for _ in 0..<25 {
            let a = rng.uniform(-1, 1)
            u.append(a); y.append(a * a + 0.01 * rng.nextGaussian())
        }
        let table = SampleTable(featureNames: ["u", "v"], labelName: "y", features: [u, u.map { -$0 }], labels: y)
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .origin, order: .fixed(2)))
        XCTAssertTrue(outcome.fit.isRankDeficient)
        let data = try FitDocument(input: InputSection(path: "d.csv", table: table), outcome: outcome).jsonData()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let fit = try XCTUnwrap(object["fit"] as? [String: Any])
        XCTAssertTrue(fit["conditionNumber"] is NSNull, "\(String(describing: fit["conditionNumber"]))")
        let coefficients = try XCTUnwrap(fit["coefficients"] as? [[String: Any]])
        XCTAssertTrue(coefficients.contains { $0["stderr"] is NSNull })
        XCTAssertTrue(coefficients.allSatisfy { $0.keys.contains("stderr") }, "null keys are kept, not dropped")
        XCTAssertFalse((fit["undeterminedCombinations"] as? [String] ?? []).isEmpty)
    }

    func testEncoderIsDeterministicAndDoesNotEscapeSlashes() throws {
        let section = InputSection(path: "data/sub/x.csv", rows: 3, features: ["b", "a"], label: "y")
        let text = String(decoding: try DocumentEncoder.encode(section), as: UTF8.self)
        XCTAssertTrue(text.contains("data/sub/x.csv"))
        let keys = ["features", "label", "path", "rows"].map { text.range(of: "\"\($0)\"")!.lowerBound }
        XCTAssertEqual(keys, keys.sorted(), "keys are sorted")
    }
}
