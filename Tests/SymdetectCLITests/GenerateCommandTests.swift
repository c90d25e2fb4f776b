import Foundation
import SymdetectCore
import XCTest

/// End-to-end tests of `symdetect generate`.
final class GenerateCommandTests: XCTestCase {
    func testListNamesEveryDataset() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["generate", "--list"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["hydrogen-1s", "hydrogen-2pz", "hydrogen-3dxy", "hydrogen-3dz2", "morse", "water", "water-frames", "ammonia-frames", "co2-frames"] {
            XCTAssertTrue(result.stdout.contains(name), name)
        }
    }

    /// The molecular datasets write the shipped PySCF frames byte for byte (the files behind
    /// examples/NAME.extxyz), or their first frames with --count; a table name is refused.
    func testMolecularFramesAreTheShippedFiles() throws {
        let dir = try TemporaryDirectory()
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        for name in ["water", "ammonia", "co2"] {
            let run = try CommandRunner.run(["generate", "\(name)-frames", "-o", "\(name).extxyz"], in: dir.url)
            XCTAssertEqual(run.status, 0, run.stderr)
            let shipped = try Data(contentsOf: examples.appendingPathComponent("\(name).extxyz"))
            XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("\(name).extxyz")), shipped, name)
            let frames = try ExtendedXYZReader.read(path: dir.path("\(name).extxyz"))
            XCTAssertTrue(run.stdout.contains("\(frames.frameCount) frames"), run.stdout)
        }
        let some = try CommandRunner.run(["generate", "ammonia-frames", "--count", "25", "-o", "a.xyz"], in: dir.url)
        XCTAssertEqual(some.status, 0, some.stderr)
        let all = try ExtendedXYZReader.read(path: examples.appendingPathComponent("ammonia.extxyz").path)
        let first = try ExtendedXYZReader.read(path: dir.path("a.xyz"))
        XCTAssertEqual(first.frameCount, 25)
        XCTAssertEqual(first.energies, Array(all.energies.prefix(25)))
        XCTAssertEqual(first.forces, all.forces.map { Array($0.prefix(25 * 4 * 3)) })

        let csv = try CommandRunner.run(["generate", "water-frames", "-o", "w.csv"], in: dir.url)
        XCTAssertEqual(csv.status, 64)
        XCTAssertTrue(csv.stderr.contains("name the file .extxyz or .xyz"), csv.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("w.csv")))
    }

    /// The written values read back to the generator's doubles, and the labels are the closed forms.
    func testHydrogenAndMorseFilesHoldTheModelValues() throws {
        let dir = try TemporaryDirectory()
        let h = try CommandRunner.run(["generate", "hydrogen-2pz", "--count", "50", "--seed", "3", "-o", "h.csv"], in: dir.url)
        XCTAssertEqual(h.status, 0, h.stderr)
        let table = try CSVReader.read(path: dir.path("h.csv"))
        XCTAssertEqual(table, HydrogenOrbital.p2z.samples(count: 50, seed: 3))
        for i in 0..<table.count {
            let p = table.point(i)
            XCTAssertEqual(table.labels[i], HydrogenOrbital.p2z.density(p[0], p[1], p[2]))
        }

        let m = try CommandRunner.run(["generate", "morse", "--count", "30", "--noise", "0", "--half-width", "0.5", "-o", "m.csv"], in: dir.url)
        XCTAssertEqual(m.status, 0, m.stderr)
        let morse = try CSVReader.read(path: dir.path("m.csv"))
        XCTAssertEqual(morse.count, 30)
        XCTAssertEqual(morse.featureNames, ["x"])
        for i in 0..<morse.count {
            let x = morse.features[0][i]
            XCTAssertLessThanOrEqual(abs(x), 0.5)
            XCTAssertEqual(morse.labels[i], 0.2250 * pow(1 - exp(-1.1741 * x), 2), accuracy: 1e-15)
        }
    }

    func testDefaultsAndSeedsAreDeterministic() throws {
        let dir = try TemporaryDirectory()
        for run in ["a.csv", "b.csv"] {
            XCTAssertEqual(try CommandRunner.run(["generate", "morse", "-o", run], in: dir.url).status, 0)
        }
        XCTAssertEqual(try Data(contentsOf: dir.url.appendingPathComponent("a.csv")), try Data(contentsOf: dir.url.appendingPathComponent("b.csv")))
        XCTAssertEqual(try CSVReader.read(path: dir.path("a.csv")).count, 400)
        XCTAssertEqual(try CommandRunner.run(["generate", "morse", "--seed", "2", "-o", "c.csv"], in: dir.url).status, 0)
        XCTAssertNotEqual(try Data(contentsOf: dir.url.appendingPathComponent("a.csv")), try Data(contentsOf: dir.url.appendingPathComponent("c.csv")))
    }

    /// `water` copies the bundled MP2 rows: the first N rows with --count.
    func testWaterCopiesTheBundledRows() throws {
        let dir = try TemporaryDirectory()
        let result = try CommandRunner.run(["generate", "water", "--count", "10", "-o", "w.csv"], in: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: dir.path("w.csv"), encoding: .utf8)
        let committed = try String(contentsOf: ReportGoldenTests.committed("examples/water.csv"), encoding: .utf8)
        XCTAssertEqual(text, committed.components(separatedBy: "\n").prefix(11).joined(separator: "\n") + "\n")
        XCTAssertEqual(try WaterDataset.table().count, 600)
    }

    func testUsageErrors() throws {
        let dir = try TemporaryDirectory()
        for arguments in [["generate", "argon", "-o", "x.csv"], ["generate", "morse"], ["generate"],
                          ["generate", "water", "--seed", "3", "-o", "x.csv"], ["generate", "water", "--count", "601", "-o", "x.csv"],
                          ["generate", "hydrogen-1s", "--noise", "0.1", "-o", "x.csv"], ["generate", "morse", "--count", "0", "-o", "x.csv"]] {
            let result = try CommandRunner.run(arguments, in: dir.url)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("x.csv")))
    }
}
