import XCTest
@testable import SymdetectCore

/// Degree-10 fits on x clustered in [−9, −3] (raw Vandermonde condition ≈ 1.6e15): the fit must
/// still give ≥ 7 correct significant digits against exact references.
final class IllConditionedFitTests: XCTestCase {
    func testPoly10AgainstExactRationalLeastSquares() throws {
        // Oracle: Tests/…/Fixtures/poly10_oracle.json, the exact least-squares solution of the CSV's
        // decimal values in rational arithmetic (scripts/oracles/poly10_oracle.py).
        let table = try Fixtures.table("poly10.csv")
        let oracle = try Fixtures.json("poly10_oracle.json")
        // The oracle solves the problem with every cell rounded to double, as this program reads it.
        let expected = oracle["coefficientsOfDoubles"] as! [Double]
        let fit = try TaylorFitter.fit(table, center: [0], order: 10)
        XCTAssertEqual(fit.rank, 11)
        for k in 0...10 {
            let digits = Fixtures.correctDigits(fit.polynomial.coefficient(of: [k]), expected[k])
            XCTAssertGreaterThanOrEqual(digits, 7, "coefficient of x^\(k): \(fit.polynomial.coefficient(of: [k])) vs \(expected[k])")
        }
    }

    func testFilipAgainstNISTCertifiedValues() throws {
        // NIST StRD Filip: certified coefficients and standard deviations (15 digits).
        let table = try Fixtures.table("filip.csv")
        let certified = try Fixtures.json("filip_certified.json")
        let beta = certified["coefficients"] as! [Double]
        let se = certified["stderr"] as! [Double]
        let fit = try TaylorFitter.fit(table, center: [0], order: 10)
        for k in 0...10 {
            XCTAssertGreaterThanOrEqual(Fixtures.correctDigits(fit.polynomial.coefficient(of: [k]), beta[k]), 7, "B\(k)")
            XCTAssertGreaterThanOrEqual(Fixtures.correctDigits(fit.standardErrors[k]!, se[k]), 6, "SE(B\(k))")
        }
        XCTAssertGreaterThanOrEqual(Fixtures.correctDigits(fit.sigma!, certified["residualSD"] as! Double), 7)
        XCTAssertGreaterThanOrEqual(Fixtures.correctDigits(fit.r2, certified["rSquared"] as! Double), 7)
    }
}

enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    }

    /// Minimal comma-separated loader for the numeric fixtures (last column = label), kept
    /// independent of the library's CSV reader.
    static func table(_ name: String) throws -> SampleTable {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var cols = [[Double]](repeating: [], count: header.count)
        for line in lines where !line.isEmpty {
            for (j, cell) in line.split(separator: ",").enumerated() { cols[j].append(Double(cell)!) }
        }
        return SampleTable(featureNames: Array(header.dropLast()), labelName: header.last!,
                           features: Array(cols.dropLast()), labels: cols.last!)
    }

    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
    }

    /// −log10 of the relative error (capped at 16).
    static func correctDigits(_ value: Double, _ reference: Double) -> Double {
        let rel = abs(value - reference) / abs(reference)
        return rel == 0 ? 16 : min(16, -log10(rel))
    }
}
