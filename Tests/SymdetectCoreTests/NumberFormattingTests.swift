import SymdetectCore
import XCTest

final class NumberFormattingTests: XCTestCase {
    func testSignificantDigitsLikePercentG() {
        XCTAssertEqual(NumberFormatting.format(1), "1")
        XCTAssertEqual(NumberFormatting.format(-2.5), "-2.5")
        XCTAssertEqual(NumberFormatting.format(3.14159265358979), "3.14159")
        XCTAssertEqual(NumberFormatting.format(1234567), "1.23457e+06")
        XCTAssertEqual(NumberFormatting.format(123456), "123456")
        XCTAssertEqual(NumberFormatting.format(0.0001234567), "0.000123457")
        XCTAssertEqual(NumberFormatting.format(1.5e-7), "1.5e-07")
        XCTAssertEqual(NumberFormatting.format(-1820.31, digits: 3), "-1.82e+03")
        XCTAssertEqual(NumberFormatting.format(2.0 / 3.0, digits: 3), "0.667")
        XCTAssertEqual(NumberFormatting.format(0.1 + 0.2, digits: 17), "0.30000000000000004")
        XCTAssertEqual(NumberFormatting.format(7, digits: 0), "7", "fewer than one digit is one digit")
    }

    func testZeroAndSpecialValues() {
        XCTAssertEqual(NumberFormatting.format(0), "0")
        XCTAssertEqual(NumberFormatting.format(-0.0), "0")
        XCTAssertEqual(NumberFormatting.format(.nan), "nan")
        XCTAssertEqual(NumberFormatting.format(-.nan), "nan")
        XCTAssertEqual(NumberFormatting.format(.infinity), "inf")
        XCTAssertEqual(NumberFormatting.format(-.infinity), "-inf")
        XCTAssertEqual(NumberFormatting.format(.leastNonzeroMagnitude), "4.94066e-324")
        XCTAssertEqual(NumberFormatting.format(.greatestFiniteMagnitude), "1.79769e+308")
    }

    func testASCIIMinusOnly() {
        for x in [-1.0, -1e-300, -123.456, -.infinity] {
            XCTAssertFalse(NumberFormatting.format(x).contains("\u{2212}"))
            XCTAssertTrue(NumberFormatting.format(x).hasPrefix("-"))
        }
    }

    func testValueRoundedToThePrecisionOfItsError() {
        XCTAssertEqual(NumberFormatting.formatWithError(-1820.31, 12.4), "-1820 ± 12")
        XCTAssertEqual(NumberFormatting.formatWithError(2.4000000001, 7.1e-16), "2.4 ± 7.1e-16")
        XCTAssertEqual(NumberFormatting.formatWithError(0.123456, 0.0031), "0.1235 ± 0.0031")
        XCTAssertEqual(NumberFormatting.formatWithError(0.0012, 5), "0.001 ± 5", "at least one digit of the value")
        XCTAssertEqual(NumberFormatting.formatWithError(-3.5, -0.25), "-3.5 ± 0.25", "the error's sign is dropped")
    }

    func testValueWithUndefinedZeroOrNonFiniteError() {
        XCTAssertEqual(NumberFormatting.formatWithError(1.5, nil), "1.5 ± undefined")
        XCTAssertEqual(NumberFormatting.formatWithError(1.23456789, 0), "1.23457 ± 0")
        XCTAssertEqual(NumberFormatting.formatWithError(0, 0.5), "0 ± 0.5")
        XCTAssertEqual(NumberFormatting.formatWithError(.nan, 1), "nan ± 1")
        XCTAssertEqual(NumberFormatting.formatWithError(2, .infinity), "2 ± inf")
    }

    func testListFormatting() {
        XCTAssertEqual(NumberFormatting.format([1, -2, 0.5]), "1, -2, 0.5")
        XCTAssertEqual(NumberFormatting.format([]), "")
    }
}
