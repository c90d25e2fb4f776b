import XCTest
@testable import SymdetectCore

/// Oracles: NIST isotope masses and CODATA 2018 recommended conversion factors, typed in from
/// the tables (not derived from the library's constants).
final class MoleculeUnitsTests: XCTestCase {
    func testMostAbundantIsotopeMasses() throws {
        let table: [(String, Double)] = [
            ("H", 1.00782503223), ("D", 2.01410177812), ("C", 12), ("N", 14.00307400443),
            ("O", 15.99491461957), ("F", 18.99840316273), ("S", 31.9720711744), ("Cl", 34.968852682),
            ("Br", 78.9183376), ("P", 30.97376199842), ("Si", 27.97692653465), ("B", 11.00930536),
            ("I", 126.9044719), ("Se", 79.9165218),
        ]
        for (symbol, mass) in table {
            XCTAssertEqual(try Element(symbol: symbol).mass, mass, symbol)
        }
        XCTAssertEqual(try Element(symbol: "CL").symbol, "Cl")
        XCTAssertEqual(try Element(symbol: " o ").symbol, "O")
        XCTAssertEqual(try Element(symbol: "D").atomicNumber, 1)
        XCTAssertEqual(try Element.masses(of: ["O", "H", "D"]), [15.99491461957, 1.00782503223, 2.01410177812])
        for z in 1...20 { XCTAssertTrue(Element.all.contains { $0.atomicNumber == z }, "Z = \(z)") }
        XCTAssertEqual(Set(Element.all.map(\.symbol)).count, Element.all.count)
    }

    func testUnknownElementIsNamed() {
        XCTAssertThrowsError(try Element.masses(of: ["O", "Xq"])) { error in
            XCTAssertEqual(error as? MoleculeError, .unknownElement("Xq"))
            XCTAssertTrue("\(error)".contains("'Xq'"))
        }
    }

    /// CODATA 2018: E_h = 27.211386245988 eV = 219474.63136320 cm⁻¹ = 2625.4996394799 kJ/mol
    /// = 627.5094740631 kcal/mol; a₀ = 0.529177210903 Å.
    func testEnergyAndLengthConversions() {
        XCTAssertEqual(EnergyUnit.hartree.convert(1, to: .electronvolt), 27.211386245988, accuracy: 27.2 * 1e-13)
        XCTAssertEqual(EnergyUnit.hartree.convert(1, to: .wavenumber), 219474.63136320, accuracy: 219474.6 * 1e-13)
        XCTAssertEqual(EnergyUnit.hartree.convert(1, to: .kilojoulePerMole), 2625.4996394799, accuracy: 2625.5 * 1e-13)
        XCTAssertEqual(EnergyUnit.hartree.convert(1, to: .kilocaloriePerMole), 627.5094740631, accuracy: 627.5 * 1e-12)
        XCTAssertEqual(EnergyUnit.kilocaloriePerMole.convert(1, to: .kilojoulePerMole), 4.184, accuracy: 1e-14)
        XCTAssertEqual(EnergyUnit.electronvolt.convert(1, to: .wavenumber), 8065.543937, accuracy: 1e-6)
        XCTAssertEqual(LengthUnit.bohr.convert(1, to: .angstrom), 0.529177210903, accuracy: 1e-15)
        XCTAssertEqual(LengthUnit.angstrom.convert(2, to: .angstrom), 2)
        XCTAssertEqual(EnergyUnit.allCases.map(\.rawValue), ["eV", "hartree", "kcal/mol", "kJ/mol", "cm^-1"])
        XCTAssertEqual(LengthUnit.allCases.map(\.rawValue), ["angstrom", "bohr"])
        XCTAssertEqual(EnergyUnit(rawValue: "kcal/mol"), .kilocaloriePerMole)
    }
}
