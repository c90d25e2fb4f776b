import XCTest
@testable import SymdetectCore

/// Error floors of the reflection x → −x of a Morse well, against closed forms evaluated at
/// the same samples: y_a(x) = D[2 sinh(ax) − sinh(2ax)] (leading term (φ3/6)x³ = −Da³x³) and
/// (y − h)_s(x) = D[1 − 2cosh(ax) + cosh(2ax)] − Da²x² (leading term (φ4/24)x⁴).
final class MorseFloorTests: XCTestCase {
    func testNaiveAndHessianFloorsMatchClosedForms() throws {
        let morse = MorseOscillator()
        let (D, a) = (morse.depth, morse.a)
        let halfWidth = 0.3 / a
        let table = morse.samples(count: 400, halfWidth: halfWidth, seed: 3)
        let r = try Analyzer.run(table, AnalysisConfiguration(operations: ["reflect(x)"], onlyListedOperations: true))
        let op = r.operations[0]
        XCTAssertNotEqual(op.verdict, .exact)
        let xs = table.features[0]
        let ya = xs.map { morse.antisymmetricPart($0) }
        let hs = xs.map { x in D * (1 - 2 * cosh(a * x) + cosh(2 * a * x)) - D * a * a * x * x }
        func rms(_ v: [Double]) -> Double { (v.map { $0 * $0 }.reduce(0, +) / Double(v.count)).squareRoot() }
        func mae(_ v: [Double]) -> Double { v.map(abs).reduce(0, +) / Double(v.count) }
        let naive = try XCTUnwrap(op.modelFloors.naive)
        let hessian = try XCTUnwrap(op.modelFloors.hessian)
        // Tolerances: the order-4 fit's cubic coefficient carries a truncation bias of relative
        // size (5/18)(aL)² = 2.5 % at aL = 0.3 (x⁵ projected on x³); 4 % covers it.
        XCTAssertEqual(naive.mae, mae(ya), accuracy: 0.04 * mae(ya))
        XCTAssertEqual(naive.rmse, rms(ya), accuracy: 0.04 * rms(ya))
        // Leading order on uniform sampling: MAE ≈ |φ3|·L³/24 (sampling noise of mean|x|³ over
        // 400 points is ≈ 6 %, the x⁵ term another (aL)²/4·… ≈ 2 %): 12 %.
        XCTAssertEqual(naive.mae, 6 * D * pow(a, 3) * pow(halfWidth, 3) / 24, accuracy: 0.12 * naive.mae)
        // The hessian floor is quartic: its x⁶ companion and the fit's x⁶ → x⁴ aliasing are
        // O((aL)²) relative, ≈ 10 %.
        XCTAssertEqual(hessian.rmse, rms(hs), accuracy: 0.10 * rms(hs))
        XCTAssertEqual(hessian.mae, mae(hs), accuracy: 0.10 * mae(hs))
        XCTAssertLessThan(hessian.rmse, 0.5 * naive.rmse, "at aL = 0.3 the quartic floor is well below the cubic one")
    }
}
