import Foundation
@testable import SymdetectCore
import XCTest

final class ExtendedXYZReaderTests: XCTestCase {
    // MARK: - Helpers

    private func read(_ text: String, labelKey: String = "energy") throws -> MolecularFrames {
        try ExtendedXYZReader.read(data: Array(text.utf8), name: "t.xyz", labelKey: labelKey)
    }

    /// Asserts that reading `text` fails with `.badData` at `line`/`column` (nil = absent), that the
    /// one-line message starts with `t.xyz:line[:column]: frame N: ` (no frame part when `frame` is
    /// nil), contains every fragment, and exits with 65.
    private func assertBadData(
        _ text: String, labelKey: String = "energy", frame: Int?, line: Int?, column: Int? = nil,
        contains fragments: [String], file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        assertBadDataError(path: "t.xyz", line: line, column: column, prefixSuffix: frame.map { "frame \($0): " } ?? "",
                           contains: fragments, file: file, sourceLine: sourceLine) {
            try read(text, labelKey: labelKey).frameCount
        }
    }

    private func temporaryDirectory() throws -> URL { try makeTemporaryDirectory() }

    /// Two water frames: quoted values with blanks and an escaped quote, a flag, spaces around `=`,
    /// an unused integer column between the positions and the forces, and masses (one deuterium).
    private let twoWaterFrames = """
        3
        energy=-76.25 Properties=species:S:1:pos:R:3:tags:I:1:forces:R:3:masses:R:1 config_type="bond scan" note="say \\"hi\\"" converged step = 4
        O   0.000000  0.000000  0.117300  0  0.0  0.0  -0.125  15.995
        H   0.000000  0.757200 -0.469200  1  0.0  0.03  0.0625 1.008
        D   0.000000 -0.757200 -0.469200  2  0.0 -0.03  0.0625 2.014
        3
        Properties=species:S:1:pos:R:3:tags:I:1:forces:R:3:masses:R:1 energy="-76.5" config_type=eq converged step=5
        O   0.01  0.0  0.1173  0  1e-3  0.0  -1.5E-2  15.995
        H   0.0   0.76 -0.4692  1  0.0  0.03  0.0625 1.008
        D  -0.0  -0.76 -0.4692  2  0.0 -0.03  0.0625 2.014

        """

    // MARK: - Reading

    func testTwoFramesWithQuotedValuesForcesAndMasses() throws {
        let frames = try read(twoWaterFrames)
        XCTAssertEqual(frames.frameCount, 2)
        XCTAssertEqual(frames.atomCount, 3)
        XCTAssertEqual(frames.species, ["O", "H", "D"])
        XCTAssertEqual(frames.masses, [15.995, 1.008, 2.014])
        XCTAssertEqual(frames.energies, [-76.25, -76.5])
        XCTAssertEqual(frames.labelKey, "energy")
        XCTAssertEqual(frames.positions, [
            0, 0, 0.1173, 0, 0.7572, -0.4692, 0, -0.7572, -0.4692,
            0.01, 0, 0.1173, 0, 0.76, -0.4692, -0.0, -0.76, -0.4692,
        ])
        XCTAssertEqual(frames.forces, [
            0, 0, -0.125, 0, 0.03, 0.0625, 0, -0.03, 0.0625,
            0.001, 0, -0.015, 0, 0.03, 0.0625, 0, -0.03, 0.0625,
        ])
        XCTAssertEqual(frames.positions.count, frames.frameCount * frames.atomCount * 3)
        XCTAssertEqual(frames.position(frame: 1, atom: 0).x, 0.01)
        XCTAssertEqual(frames.force(frame: 0, atom: 0)?.z, -0.125)
        typealias E = MolecularFrames.InfoEntry
        XCTAssertEqual(frames.extraInfo, [
            [E(key: "config_type", value: "bond scan"), E(key: "note", value: "say \"hi\""),
             E(key: "converged", value: "T"), E(key: "step", value: "4")],
            [E(key: "config_type", value: "eq"), E(key: "converged", value: "T"), E(key: "step", value: "5")],
        ])
    }

    func testDefaultPropertiesWithoutForcesOrMasses() throws {
        let frames = try read("2\nenergy=1.5\nH 0 0 0\nH 0 0 0.74\n2\nenergy=1.25 pbc=\"F F F\"\nH 0 0 0\nH 0 0 0.75\n")
        XCTAssertEqual(frames.species, ["H", "H"])
        XCTAssertNil(frames.forces)
        XCTAssertNil(frames.masses)
        XCTAssertEqual(frames.energies, [1.5, 1.25])
        XCTAssertEqual(frames.positions[11], 0.75)
        XCTAssertEqual(frames.extraInfo, [[], [.init(key: "pbc", value: "F F F")]])
    }

    func testLegacyNumericComment() throws {
        let frames = try read("3\n-76.4012345\nO 0 0 0.1\nH 0 0.75 -0.4\nH 0 -0.75 -0.4\n3\n  -7.64e1 \nO 0 0 0.11\nH 0 0.75 -0.4\nH 0 -0.75 -0.4\n")
        XCTAssertEqual(frames.energies, [-76.4012345, -76.4])
        XCTAssertEqual(frames.frameCount, 2)
        XCTAssertEqual(frames.labelKey, "energy")
        XCTAssertEqual(frames.extraInfo, [[], []])
    }

    func testREFEnergyLabelTakesREFForces() throws {
        let text = """
            2
            Properties=species:S:1:pos:R:3:forces:R:3:REF_forces:R:3 energy=-1.0 REF_energy=-2.5 MACE_energy=-2.4
            H 0 0 0  9 9 9  0.5 0 0
            H 0 0 0.74  9 9 9  -0.5 0 0
            """
        let frames = try read(text, labelKey: "REF_energy")
        XCTAssertEqual(frames.energies, [-2.5])
        XCTAssertEqual(frames.labelKey, "REF_energy")
        XCTAssertEqual(frames.forces, [0.5, 0, 0, -0.5, 0, 0])
        XCTAssertEqual(frames.extraInfo[0].map(\.key), ["energy", "MACE_energy"])
        // With the default label the plain `forces` are taken.
        let plain = try read(text)
        XCTAssertEqual(plain.energies, [-1.0])
        XCTAssertEqual(plain.forces, [9, 9, 9, 9, 9, 9])
    }

    func testLabelKeyMatchesExactlyBeforeIgnoringCase() throws {
        let text = "1\nEnergy=2.0 energy=3.0\nHe 0 0 0\n"
        XCTAssertEqual(try read(text).energies, [3.0])
        XCTAssertEqual(try read(text, labelKey: "Energy").energies, [2.0])
        let onlyCapital = try read("1\nENERGY=4.0\nHe 0 0 0\n")
        XCTAssertEqual(onlyCapital.energies, [4.0])
        XCTAssertEqual(onlyCapital.labelKey, "ENERGY")
    }

    func testCommentLineGrammarFollowsASE() throws {
        func entries(_ text: String) throws -> [String] {
            var copy = text
            return try copy.withUTF8 { try ExtendedXYZCommentLine($0).entries.map(\.description) }
        }
        XCTAssertEqual(try entries("a=1 b = 2  c= 3 d =4"), ["a=1", "b=2", "c=3", "d=4"])
        XCTAssertEqual(try entries("  flag  x=\"1 2 3\" y='q r' z={4 5} w=[6,7] "),
                       ["flag=T", "x=1 2 3", "y=q r", "z=4 5", "w=6,7"])
        XCTAssertEqual(try entries(#"s="a \"b\" c\\d" t=x\ y"#), [#"s=a "b" c\d"#, "t=x y"])
        XCTAssertEqual(try entries("k=a=b e=\"\" f=1"), ["k=a=b", "e=", "f=1"])
        XCTAssertEqual(try entries("Properties=species:S:1:pos:R:3\tenergy=-1"),
                       ["Properties=species:S:1:pos:R:3", "energy=-1"])
        XCTAssertThrowsError(try entries("a=\"open b=1")) { error in
            XCTAssertEqual(error as? ExtendedXYZCommentLine.ParseError, .unclosedDelimiter(character: "\"", offset: 3))
        }
    }

    func testBlankLinesCRLFAndByteOrderMark() throws {
        let text = "\u{FEFF}2\r\nenergy=1\r\nH 0 0 0\r\nH 0 0 1\r\n\r\n2\r\nenergy=2\r\nH 0 0 0\r\nH 0 0 1.5\r\n\r\n  \n\n"
        let frames = try read(text)
        XCTAssertEqual(frames.energies, [1, 2])
        XCTAssertEqual(frames.species, ["H", "H"])
        XCTAssertEqual(frames.positions.last, 1.5)
        // No line end after the last atom line.
        XCTAssertEqual(try read("1\nenergy=7\nHe 1 2 3").positions, [1, 2, 3])
    }

    func testUnknownPropertiesAreSkippedButCounted() throws {
        let text = "1\nenergy=0 Properties=id:S:2:species:S:1:charge:R:1:flags:L:3:pos:R:3:vel:R:3\nx y C 0.5 T F T 1 2 3 nan abc 7\n"
        let frames = try read(text)
        XCTAssertEqual(frames.species, ["C"])
        XCTAssertEqual(frames.positions, [1, 2, 3])
    }

    // MARK: - Errors

    func testDifferentAtomCount() {
        assertBadData("2\nenergy=1\nH 0 0 0\nH 0 0 1\n3\nenergy=2\nH 0 0 0\nH 0 0 1\nH 0 0 2\n",
                      frame: 2, line: 5, contains: ["3 atoms, but frame 1 has 2"])
    }

    func testDifferentSpeciesOrOrder() {
        assertBadData("2\nenergy=1\nO 0 0 0\nH 0 0 1\n2\nenergy=2\nH 0 0 0\nO 0 0 1\n",
                      frame: 2, line: 7, column: 1,
                      contains: ["atom 1 is H, but in frame 1 it is O", "same atoms in the same order"])
        assertBadData(twoWaterFrames.replacingOccurrences(of: "D  -0.0", with: "H  -0.0"),
                      frame: 2, line: 10, column: 1, contains: ["atom 3 is H, but in frame 1 it is D"])
    }

    func testMissingLabelNamesTheKeysPresent() {
        assertBadData("1\nenergy=1\nHe 0 0 0\n1\nE=2 config_type=x Properties=species:S:1:pos:R:3\nHe 0 0 1\n",
                      frame: 2, line: 5, contains: ["no label 'energy'", "keys: E, config_type, Properties"])
        assertBadData("1\nwater molecule\nHe 0 0 0\n", frame: 1, line: 2, contains: ["no label 'energy'", "keys: water, molecule"])
        assertBadData("1\n\nHe 0 0 0\n", frame: 1, line: 2, contains: ["no key=value pairs"])
        assertBadData("1\nenergy=1\nHe 0 0 0\n", labelKey: "REF_energy", frame: 1, line: 2,
                      contains: ["no label 'REF_energy'", "keys: energy"])
    }

    func testNonNumericLabel() {
        assertBadData("1\nenergy=abc\nHe 0 0 0\n", frame: 1, line: 2, contains: ["the label energy is not usable: not a number", "'abc'"])
        assertBadData("1\nenergy=nan\nHe 0 0 0\n", frame: 1, line: 2, contains: ["NaN is not allowed"])
    }

    func testNonNumericValueNamesLineAndColumn() {
        assertBadData("2\nenergy=1\nH 0 0 0\nH 0 0 1\n2\nenergy=2\nH 0 0 0\nH 0 x1.5 1\n",
                      frame: 2, line: 8, column: 3, contains: ["not a number", "(column 'pos.y')", "'x1.5'"])
        assertBadData(twoWaterFrames.replacingOccurrences(of: "-1.5E-2", with: "-1,5E-2"),
                      frame: 2, line: 8, column: 8, contains: ["decimal commas", "(column 'forces.z')"])
        assertBadData(twoWaterFrames.replacingOccurrences(of: "-0.4692  2  0.0 -0.03  0.0625 2.014", with: "-0.4692  2  0.0 -0.03  0.0625 two"),
                      frame: 2, line: 10, column: 9, contains: ["(column 'masses')", "'two'"])
    }

    func testNonFiniteNumbers() {
        for (cell, fragment) in [("nan", "NaN is not allowed"), ("-inf", "infinity is not allowed"),
                                 ("Infinity", "infinity is not allowed"), ("1e400", "out of range")] {
            assertBadData("2\nenergy=1\nH 0 0 0\nH 0 0 \(cell)\n", frame: 1, line: 4, column: 4,
                          contains: [fragment, "'\(cell)'", "(column 'pos.z')"])
        }
    }

    func testTruncatedLastFrame() {
        assertBadData("2\nenergy=1\nH 0 0 0\nH 0 0 1\n2\nenergy=2\nH 0 0 0\n",
                      frame: 2, line: 5, contains: ["ends after 1 of the frame's 2 atom lines", "truncated"])
        assertBadData("2\nenergy=1\nH 0 0 0\nH 0 0 1\n2\n", frame: 2, line: 5,
                      contains: ["ends after the atom count", "truncated"])
        assertBadData("2\nenergy=1\nH 0 0 0\n\n \n", frame: 1, line: 1,
                      contains: ["ends after 1 of the frame's 2 atom lines"])
        // Blank lines where atoms belong are not skipped.
        assertBadData("2\nenergy=1\nH 0 0 0\n\nH 0 0 1\n", frame: 1, line: 4, contains: ["blank line where atom 2 of 2"])
    }

    func testPeriodicFramesAreRefused() {
        let lattice = #"Lattice="10 0 0 0 10 0 0 0 10""#
        assertBadData("1\nenergy=1 \(lattice) pbc=\"T T T\"\nHe 0 0 0\n", frame: 1, line: 2,
                      contains: ["periodic frames are not supported"])
        assertBadData("1\nenergy=1\nHe 0 0 0\n1\nenergy=1 \(lattice) pbc=\"F F T\"\nHe 0 0 0\n", frame: 2, line: 5,
                      contains: ["periodic frames are not supported", "'pbc=\"F F T\"'"])
        // ASE reads a Lattice without pbc as periodic in all directions.
        assertBadData("1\nenergy=1 \(lattice)\nHe 0 0 0\n", frame: 1, line: 2,
                      contains: ["periodic frames are not supported", "Lattice without pbc"])
        assertBadData("1\nenergy=1 PBC=\"T F F\"\nHe 0 0 0\n", frame: 1, line: 2, contains: ["periodic frames are not supported"])
        // All directions open: an isolated molecule in a box is fine.
        XCTAssertEqual(try read("1\nenergy=1 \(lattice) pbc=\"F F F\"\nHe 0 0 0\n").frameCount, 1)
    }

    func testEmptyFile() {
        assertBadData("", frame: nil, line: nil, contains: ["the file is empty"])
        assertBadData("\n  \n\r\n", frame: nil, line: nil, contains: ["the file is empty"])
    }

    func testAtomLineColumnCounts() {
        assertBadData("2\nenergy=1 Properties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 2 3\nH 0 0 1 1 2\n",
                      frame: 1, line: 4, contains: ["atom line has 6 columns", "needs 7", "missing forces.z"])
        assertBadData("1\nenergy=1\nHe 0 0\n", frame: 1, line: 3, contains: ["atom line has 3 columns", "needs 4"])
        assertBadData("1\nenergy=1\nHe 0 0 0 7\n", frame: 1, line: 3, column: 5, contains: ["atom line has 5 columns"])
    }

    func testBadAtomCountLine() {
        assertBadData("two\nenergy=1\nHe 0 0 0\n", frame: 1, line: 1, contains: ["expected the atom count", "'two'"])
        assertBadData("1\nenergy=1\nHe 0 0 0\n0\nenergy=1\n", frame: 2, line: 4, contains: ["0 atoms"])
    }

    func testBadProperties() {
        assertBadData("1\nenergy=1 Properties=species:S:1:pos:R\nHe 0 0 0\n", frame: 1, line: 2,
                      contains: ["name:type:count triples"])
        assertBadData("1\nenergy=1 Properties=species:S:1:pos:R:2\nHe 0 0\n", frame: 1, line: 2,
                      contains: ["the positions must be R:3"])
        assertBadData("1\nenergy=1 Properties=pos:R:3\n0 0 0\n", frame: 1, line: 2, contains: ["no species column"])
        assertBadData("1\nenergy=1 Properties=species:S:1:pos:X:3\nHe 0 0 0\n", frame: 1, line: 2,
                      contains: ["unknown type 'X'"])
    }

    func testForcesAndMassesMustBeInEveryFrameAlike() {
        assertBadData("1\nenergy=1 Properties=species:S:1:pos:R:3:forces:R:3\nHe 0 0 0 1 1 1\n1\nenergy=2\nHe 0 0 1\n",
                      frame: 2, line: 5, contains: ["no forces, but frame 1 has forces"])
        assertBadData("1\nenergy=1\nHe 0 0 0\n1\nenergy=2 Properties=species:S:1:pos:R:3:forces:R:3\nHe 0 0 1 1 1 1\n",
                      frame: 2, line: 5, contains: ["forces, but frame 1 has none"])
        assertBadData(twoWaterFrames.replacingOccurrences(of: "-0.4692  2  0.0 -0.03  0.0625 2.014", with: "-0.4692  2  0.0 -0.03  0.0625 2.0"),
                      frame: 2, line: 10, column: 9, contains: ["atom 3 has mass 2.0, but 2.014 in frame 1"])
    }

    func testUnclosedQuoteInComment() {
        assertBadData("1\nenergy=1 note=\"open\nHe 0 0 0\n", frame: 1, line: 2, contains: ["never closed"])
    }

    func testUnreadableFile() throws {
        let missing = try temporaryDirectory().appendingPathComponent("missing.xyz").path
        XCTAssertThrowsError(try ExtendedXYZReader.read(path: missing)) { error in
            guard let error = error as? InputError, case .unreadable = error else {
                return XCTFail("expected .unreadable, got \(error)")
            }
            XCTAssertEqual(error.exitCode, 66)
            XCTAssertTrue(error.description.hasPrefix(missing + ": cannot read file"))
        }
    }

    // MARK: - Numbers and streaming

    /// Shortest round-trip (`description`) and `%.17g` texts of random doubles of all magnitudes are
    /// read back as exactly the same `Double`s.
    func testSeventeenDigitNumbersRoundTripExactly() throws {
        var generator = SeededGenerator(seed: 0x5EED_0017)
        var values: [Double] = []
        var text = ""
        for frame in 0 ..< 200 {
            var lines: [String] = []
            for _ in 0 ..< 2 {
                var row: [String] = []
                for _ in 0 ..< 3 {
                    let exponent = Double.random(in: -12 ... 12, using: &generator)
                    let sign: Double = Bool.random(using: &generator) ? -1 : 1
                    let value = sign * Double.random(in: 1 ..< 10, using: &generator) * pow(10, exponent.rounded())
                    values.append(value)
                    row.append(frame.isMultiple(of: 2) ? String(format: "%.17g", value) : "\(value)")
                }
                lines.append("C " + row.joined(separator: " "))
            }
            let energy = Double.random(in: -1000 ... 1000, using: &generator)
            text += "2\nenergy=\(String(format: "%.17g", energy))\n" + lines.joined(separator: "\n") + "\n"
            values.append(energy)
        }
        let frames = try read(text)
        var expectedPositions: [Double] = []
        var expectedEnergies: [Double] = []
        for frame in 0 ..< 200 {
            expectedPositions += values[(frame * 7) ..< (frame * 7 + 6)]
            expectedEnergies.append(values[frame * 7 + 6])
        }
        XCTAssertEqual(frames.positions.map(\.bitPattern), expectedPositions.map(\.bitPattern))
        XCTAssertEqual(frames.energies.map(\.bitPattern), expectedEnergies.map(\.bitPattern))
    }

    /// A file of several MiB read from disk crosses many 1 MiB chunk boundaries.
    func testLargeFileAcrossChunkBoundaries() throws {
        let url = try temporaryDirectory().appendingPathComponent("many.xyz")
        var text = ""
        let frameCount = 12_000
        for frame in 0 ..< frameCount {
            let d = Double(frame) * 1e-5
            text += "4\nProperties=species:S:1:pos:R:3:forces:R:3 energy=\(-100.0 - d) step=\(frame) config_type=\"scan a\"\n"
            text += "C 0.0 0.0 \(d) 0.1 0.2 0.3\nH 1.0890000001 0.0 0.0 -0.1 0.0 0.0\nH -0.5445 0.94310000000001 0.0 0.0 0.0 0.0\nH -0.5445 -0.9431 \(-d) 0.0 0.0 -0.3\n"
        }
        try Data(text.utf8).write(to: url)
        var reports: [(Int64, Int64)] = []
        let frames = try ExtendedXYZReader.read(path: url.path, progress: { reports.append(($0, $1)) })
        XCTAssertEqual(frames.frameCount, frameCount)
        XCTAssertEqual(frames.species, ["C", "H", "H", "H"])
        XCTAssertEqual(frames.positions.count, frameCount * 12)
        XCTAssertEqual(frames.forces?.count, frameCount * 12)
        for frame in [0, 1, 4_999, 5_000, frameCount - 1] {
            let d = Double(frame) * 1e-5
            XCTAssertEqual(frames.energies[frame], -100.0 - d)
            XCTAssertEqual(frames.position(frame: frame, atom: 0).z, d)
            XCTAssertEqual(frames.position(frame: frame, atom: 3).z, -d)
            XCTAssertEqual(frames.position(frame: frame, atom: 2).y, 0.94310000000001)
            XCTAssertEqual(frames.extraInfo[frame], [.init(key: "step", value: "\(frame)"), .init(key: "config_type", value: "scan a")])
        }
        XCTAssertEqual(reports.last?.0, Int64(text.utf8.count))
        XCTAssertEqual(reports.last?.1, Int64(text.utf8.count))
    }

    // MARK: - ASE oracle

    /// `Fixtures/extxyz_ase.extxyz` was written by ASE and read back by ASE into
    /// `extxyz_ase.json` (scripts/oracles/extxyz_check.py): every number must agree bit for bit
    /// (both sides round correctly), and every comment-line key ASE keeps as info must be in
    /// `extraInfo`, in order, with the value ASE parsed from it.
    func testAgreesWithASE() throws {
        let path = try XCTUnwrap(Bundle.module.url(forResource: "extxyz_ase", withExtension: "extxyz", subdirectory: "Fixtures")).path
        let oracleURL = try XCTUnwrap(Bundle.module.url(forResource: "extxyz_ase", withExtension: "json", subdirectory: "Fixtures"))
        let oracle = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: oracleURL)) as? [String: Any])
        func doubles(_ key: String) throws -> [UInt64] {
            try XCTUnwrap(oracle[key] as? [String]).map { try XCTUnwrap(Double($0), $0).bitPattern }
        }

        let frames = try ExtendedXYZReader.read(path: path)
        XCTAssertEqual(frames.frameCount, 8)
        XCTAssertEqual(frames.species, oracle["species"] as? [String])
        XCTAssertEqual(frames.masses?.map(\.bitPattern), try doubles("masses"))
        XCTAssertEqual(frames.positions.map(\.bitPattern), try doubles("positions"))
        XCTAssertEqual(frames.forces?.map(\.bitPattern), try doubles("forces"))
        XCTAssertEqual(frames.energies.map(\.bitPattern), try doubles("energies"))
        XCTAssertEqual(frames.labelKey, "energy")

        let info = try XCTUnwrap(oracle["info"] as? [[[String: Any]]])
        XCTAssertEqual(info.count, frames.frameCount)
        for (frame, (expected, entries)) in zip(info, frames.extraInfo).enumerated() {
            // ASE takes pbc out of info; everything else stays, in file order.
            XCTAssertEqual(entries.last, .init(key: "pbc", value: "F F F"), "frame \(frame)")
            let kept = entries.filter { $0.key != "pbc" }
            XCTAssertEqual(kept.map(\.key), expected.map { $0["key"] as? String ?? "?" }, "frame \(frame)")
            for (entry, oracleEntry) in zip(kept, expected) {
                let message = "frame \(frame) key \(entry.key): '\(entry.value)'"
                switch oracleEntry["kind"] as? String {
                case "str":
                    XCTAssertEqual(entry.value, oracleEntry["value"] as? String, message)
                case "int":
                    XCTAssertEqual(Int(entry.value), oracleEntry["value"] as? Int, message)
                case "bool":
                    XCTAssertEqual(["T", "True", "true"].contains(entry.value), oracleEntry["value"] as? Bool, message)
                case "float":
                    XCTAssertEqual(Double(entry.value)?.bitPattern, (oracleEntry["value"] as? String).flatMap(Double.init)?.bitPattern, message)
                case "floats":
                    let values = entry.value.split(separator: " ").map { Double(String($0))?.bitPattern }
                    let expectedValues = (oracleEntry["value"] as? [String] ?? []).map { Double($0)?.bitPattern }
                    XCTAssertEqual(values, expectedValues, message)
                default:
                    XCTFail("unknown kind in \(oracleEntry)")
                }
            }
        }

        // The second label of the same file, as MACE would be told with --label REF_energy.
        let reference = try ExtendedXYZReader.read(path: path, labelKey: "REF_energy")
        XCTAssertEqual(reference.energies.map(\.bitPattern), try doubles("REF_energies"))
        XCTAssertEqual(reference.forces, frames.forces)
        XCTAssertEqual(reference.extraInfo[0].map(\.key), ["config_type", "step", "com_velocity", "converged", "note", "energy", "pbc"])
    }

    /// Random comment lines (keys, blanks, `=`, quotes, brackets, backslashes) split exactly as
    /// ASE's comment-line grammar splits them (`Fixtures/extxyz_comment_cases.json`).
    func testCommentLinesSplitAsASESplitsThem() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "extxyz_comment_cases", withExtension: "json", subdirectory: "Fixtures"))
        let cases = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        XCTAssertEqual(cases.count, 400)
        for testCase in cases {
            var text = try XCTUnwrap(testCase["text"] as? String)
            let expected = try XCTUnwrap(testCase["pairs"] as? [[String]]).map { MolecularFrames.InfoEntry(key: $0[0], value: $0[1]) }
            let entries = try text.withUTF8 { try ExtendedXYZCommentLine($0).entries }
            XCTAssertEqual(entries, expected, text.debugDescription)
        }
    }

    // MARK: - CSV with --molecule

    func testMoleculeFromCSVTable() throws {
        let csv = "Ox,Oy,Oz,H1x,H1y,H1z,H2x,H2y,H2z,E\n0.01,0.02,0.1,0.03,0.75,-0.4,0.04,-0.75,-0.41,-76.1\n0.02,0.03,0.12,0.05,0.76,-0.41,0.06,-0.74,-0.4,-76.2\n"
        let table = try CSVReader.read(data: Array(csv.utf8), name: "w.csv")
        let frames = try MolecularFrames(table: table, symbols: ["O", "H", "H"], path: "w.csv")
        XCTAssertEqual(frames.frameCount, 2)
        XCTAssertEqual(frames.atomCount, 3)
        XCTAssertEqual(frames.species, ["O", "H", "H"])
        XCTAssertEqual(frames.positions, [0.01, 0.02, 0.1, 0.03, 0.75, -0.4, 0.04, -0.75, -0.41,
                                          0.02, 0.03, 0.12, 0.05, 0.76, -0.41, 0.06, -0.74, -0.4])
        XCTAssertEqual(frames.energies, [-76.1, -76.2])
        XCTAssertEqual(frames.labelKey, "E")
        XCTAssertNil(frames.forces)
        XCTAssertNil(frames.masses)
        XCTAssertEqual(frames.extraInfo, [[], []])
    }

    func testMoleculeFromCSVTableNeedsThreeColumnsPerAtom() throws {
        let csv = "a,b,c,d,e,f,E\n0,0,0.1,0,0.75,-0.4,1\n1,1,0.2,1,0.7,-0.3,2\n"
        let table = try CSVReader.read(data: Array(csv.utf8), name: "w.csv")
        XCTAssertThrowsError(try MolecularFrames(table: table, symbols: ["O", "H", "H"], path: "w.csv")) { error in
            guard let error = error as? InputError, case .badData = error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertEqual(error.description,
                           "w.csv: 6 feature columns, but a molecule of 3 atoms (O,H,H) needs 9: x, y, z of each atom in order")
        }
        XCTAssertEqual(try MolecularFrames(table: table, symbols: ["H", "H"]).positions.count, 12)
    }
}
