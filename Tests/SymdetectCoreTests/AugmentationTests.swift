import Foundation
import XCTest
@testable import SymdetectCore

final class AugmentationTests: XCTestCase {
    static let names = ["x", "y", "z"]

    func ops(_ texts: [String], names: [String] = AugmentationTests.names) throws -> [SymmetryOperation] {
        try texts.map { try OperationParser.parse($0, names: names) }
    }

    // MARK: Group elements

    /// ⟨reflect(x), swap(x,y)⟩ is the dihedral group D4 of order 8; every element is named by a
    /// word in the generators whose matrix product reproduces it.
    func testDiscreteGroupIsClosedAndNamedByWords() throws {
        let generators = try ops(["reflect(x)", "swap(x,y)"])
        let group = try AugmentationGroup(operations: generators, featureNames: Self.names)
        XCTAssertEqual(group.order, 8)
        XCTAssertEqual(group.order, GroupClosure(generators: generators.map(\.matrix), dimension: 3).order)
        XCTAssertEqual(group.elements[0].name, "identity")
        XCTAssertEqual(Array(group.names.prefix(3)), ["identity", "reflect(x)", "swap(x,y)"])
        XCTAssertTrue(group.names.contains("reflect(x)*swap(x,y)"), "\(group.names)")
        XCTAssertEqual(Set(group.names).count, 8, "names are unique")
        let byName = Dictionary(uniqueKeysWithValues: generators.map { ($0.name, $0.matrix) })
        for e in group.elements.dropFirst() {
            // The word's matrix product (rightmost factor acts first) is the element.
            let product = e.name.split(separator: "*").map { byName[String($0)]! }.reduce(Matrix.identity(3), *)
            XCTAssertLessThan(product.maxAbsDifference(e.matrix), 1e-12, e.name)
        }
        // All distinct.
        for i in 0..<8 { for j in 0..<i { XCTAssertGreaterThan(group.elements[i].matrix.maxAbsDifference(group.elements[j].matrix), 0.5) } }
    }

    func testThreeAxisReflectionsGiveOrderEight() throws {
        let group = try AugmentationGroup(operations: try ops(["reflect(x)", "reflect(y)", "reflect(z)"]), featureNames: Self.names)
        XCTAssertEqual(group.order, 8)
        XCTAssertTrue(group.elements.allSatisfy(\.isInvolution))
        XCTAssertTrue(group.names.contains("reflect(z)*reflect(y)*reflect(x)"), "\(group.names)")
    }

    /// A continuous family contributes `copies` seeded members, combined with the discrete
    /// group; rotation members are named by their angle, and the name parses back to the matrix.
    func testContinuousFamilyIsSampledReproducibly() throws {
        let a = try AugmentationGroup(operations: try ops(["rotate(x,y,*)"]), featureNames: Self.names, copies: 8)
        XCTAssertEqual(a.order, 9)
        XCTAssertTrue(a.isContinuous)
        let b = try AugmentationGroup(operations: try ops(["rotate(x,y,*)"]), featureNames: Self.names, copies: 8)
        XCTAssertEqual(a.names, b.names, "same seed, same members")
        for e in a.elements.dropFirst() {
            XCTAssertTrue(e.name.hasPrefix("rotate(x,y,"), e.name)
            let parsed = try OperationParser.parse(e.name, names: Self.names)
            XCTAssertLessThan(parsed.matrix.maxAbsDifference(e.matrix), 1e-12, e.name)
        }
        let other = try AugmentationGroup(operations: try ops(["rotate(x,y,*)"]), featureNames: Self.names, copies: 8, seed: 99)
        XCTAssertNotEqual(a.names, other.names)
        let mixed = try AugmentationGroup(operations: try ops(["reflect(z)", "rotate(x,y,*)"]), featureNames: Self.names, copies: 5)
        XCTAssertEqual(mixed.order, 2 * 6)
        let o3 = try AugmentationGroup(operations: try ops(["O3(x,y,z)"]), featureNames: Self.names, copies: 4)
        XCTAssertEqual(o3.names, ["identity", "O3(x,y,z)#1", "O3(x,y,z)#2", "O3(x,y,z)#3", "O3(x,y,z)#4"])
        for e in o3.elements {
            let gtg = e.matrix.transposed * e.matrix
            XCTAssertLessThan(gtg.maxAbsDifference(.identity(3)), 1e-12, "orthogonal")
        }
    }

    func testIrrationalRotationIsRefusedAsTooLarge() throws {
        XCTAssertThrowsError(try AugmentationGroup(operations: try ops(["rotate(x,y,37)"]), featureNames: Self.names, limit: 100)) { error in
            XCTAssertEqual(error as? AugmentationError, .groupTooLarge(limit: 100))
        }
    }

    // MARK: Labels

    /// V(x) = 2 + x² − 0.3x³ + 0.05x⁴ about 0, fitted exactly at order 4 (T = V).
    static func quarticWell(count: Int = 60) -> SampleTable {
        var rng = SeededGenerator(seed: 5)
        let xs = (0..<count).map { _ in rng.uniform(-1.5, 1.5) }
        return SampleTable(featureNames: ["x"], labelName: "V", features: [xs], labels: xs.map(quartic))
    }

    static func quartic(_ x: Double) -> Double { 2 + x * x - 0.3 * x * x * x + 0.05 * x * x * x * x }

    func testSchemeLabelsFollowTheirFormulas() throws {
        let table = Self.quarticWell()
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .origin, order: .fixed(4)))
        let reflect = try OperationParser.parse("reflect(x)", names: ["x"])
        let n = table.count
        for scheme in AugmentationScheme.allCases {
            let data = try Augmenter(fit: outcome, operations: [reflect], scheme: scheme).augment(table)
            XCTAssertEqual(data.table.count, 2 * n)
            XCTAssertEqual(data.originalCount, n)
            XCTAssertEqual(Array(data.table.labels.prefix(n)), table.labels, "originals unchanged")
            XCTAssertEqual(Array(data.table.features[0].prefix(n)), table.features[0])
            for i in 0..<n {
                let x = table.features[0][i], y = table.labels[i]
                XCTAssertEqual(data.table.features[0][n + i], -x, accuracy: 1e-15)
                XCTAssertEqual(data.provenance(i), "identity")
                XCTAssertEqual(data.provenance(n + i), "reflect(x)")
                // h(x) = 2 + x²: the quadratic part of V about 0.
                let expected: Double
                switch scheme {
                case .naive: expected = y
                case .hessian: expected = (2 + x * x) - (y - (2 + x * x))
                case .taylor: expected = Self.quartic(-x)   // T = V exactly, so y + T(−x) − T(x) = V(−x)
                }
                XCTAssertEqual(data.table.labels[n + i], expected, accuracy: 1e-9, "\(scheme) at x = \(x)")
            }
        }
    }

    /// Operations act about the fitted centre: c + G(x − c).
    func testImagesAreTakenAboutTheCentre() throws {
        var rng = SeededGenerator(seed: 8)
        let xs = (0..<40).map { _ in rng.uniform(0, 4) }
        let table = SampleTable(featureNames: ["x"], labelName: "V", features: [xs], labels: xs.map { ($0 - 2) * ($0 - 2) })
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .auto, order: .fixed(2)))
        XCTAssertEqual(outcome.fit.center[0], 2, accuracy: 1e-9)
        let data = try Augmenter(fit: outcome, operations: [try OperationParser.parse("reflect(x)", names: ["x"])], scheme: .naive).augment(table)
        for i in 0..<40 { XCTAssertEqual(data.table.features[0][40 + i], 4 - xs[i], accuracy: 1e-9) }
    }

    func testHessianSchemeIsRefusedForNonInvolutions() throws {
        let table = TaylorFitTests.sampleTable(count: 200, seed: 3, box: [-1...1, -1...1, -1...1]) { p in p[0] * p[0] + p[1] * p[1] + p[2] * p[2] }
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .origin, order: .fixed(2)))
        XCTAssertThrowsError(try Augmenter(fit: outcome, operations: try ops(["rotate(x,y,90)"]), scheme: .hessian)) { error in
            XCTAssertEqual(error as? AugmentationError, .notInvolution(element: "rotate(x,y,90)"))
            XCTAssertTrue("\(error)".contains("g² = identity"), "\(error)")
        }
        // 180° rotations are involutions; so is every element of ⟨reflect(x), reflect(y)⟩.
        XCTAssertNoThrow(try Augmenter(fit: outcome, operations: try ops(["rotate(x,y,180)"]), scheme: .hessian))
        XCTAssertNoThrow(try Augmenter(fit: outcome, operations: try ops(["reflect(x)", "reflect(y)"]), scheme: .hessian))
        // ⟨reflect(x), swap(x,y)⟩ contains the 90° rotation.
        XCTAssertThrowsError(try Augmenter(fit: outcome, operations: try ops(["reflect(x)", "swap(x,y)"]), scheme: .hessian))
    }

    func testHessianSchemeIsRefusedOnASaddleUnlessForced() throws {
        let table = TaylorFitTests.sampleTable(count: 200, seed: 4, box: [-1...1, -1...1], names: ["x", "y"]) { p in
            p[0] * p[0] - p[1] * p[1] + 0.1 * p[0] * p[0] * p[0]
        }
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .auto, order: .fixed(3)))
        XCTAssertEqual(outcome.hessian.kind, .saddle(index: 1))
        let reflect = try OperationParser.parse("reflect(y)", names: ["x", "y"])
        XCTAssertThrowsError(try Augmenter(fit: outcome, operations: [reflect], scheme: .hessian)) { error in
            guard case .notConvex(let kind, let eigenvalues)? = error as? AugmentationError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "saddle of index 1")
            XCTAssertEqual(eigenvalues.count, 2)
        }
        let forced = try Augmenter(fit: outcome, operations: [reflect], scheme: .hessian, force: true)
        XCTAssertTrue(forced.warnings.contains { $0.contains("not a minimum") }, "\(forced.warnings)")
        XCTAssertNoThrow(try Augmenter(fit: outcome, operations: [reflect], scheme: .naive))
        XCTAssertNoThrow(try Augmenter(fit: outcome, operations: [reflect], scheme: .taylor))
    }

    // MARK: Round trip

    /// The augmented data of an exact symmetry, written as CSV and read back, is exactly
    /// symmetric: `analyze` calls the operation exact, and every image finds its neighbours
    /// (mirror-test coverage ≈ 1, against 0.6–0.8 on the raw samples near the box's faces).
    func testAugmentedCSVRoundTripsAndKeepsTheExactSymmetry() throws {
        let table = TaylorFitTests.sampleTable(count: 400, seed: 21, box: [-1...1, -1...1, -1...1], label: SymmetryAnalysisTests.cubicZ)
        let outcome = try FitPipeline.run(table, FitConfiguration())
        let data = try Augmenter(fit: outcome, operations: try ops(["reflect(x)"]), scheme: .naive).augment(table)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symdetect-aug-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("aug.csv").path
        try AtomicFile.write(to: path) { try data.writeCSV(to: $0) }
        let back = try CSVReader.read(path: path)
        XCTAssertEqual(back.count, 800)
        XCTAssertEqual(back.features, data.table.features, "17 significant digits read back bit for bit")
        XCTAssertEqual(back.labels, data.table.labels)

        let result = try Analyzer.run(back, AnalysisConfiguration(operations: ["reflect(x)", "reflect(z)"], onlyListedOperations: true))
        let rx = try XCTUnwrap(result.operations.first { $0.name == "reflect(x)" })
        XCTAssertEqual(rx.verdict, .exact, "\(rx.basis)")
        XCTAssertGreaterThanOrEqual(rx.coverage, 0.9)
        let rz = try XCTUnwrap(result.operations.first { $0.name == "reflect(z)" })
        XCTAssertNotEqual(rz.verdict, .exact, "augmenting with reflect(x) must not hide the breaking of reflect(z)")
    }

    // MARK: CSV output

    func testCSVWriterQuotesNamesAndWritesProvenance() throws {
        let table = SampleTable(featureNames: ["x", "y"], labelName: "E, kcal", features: [[0.1, 1.0 / 3], [2, -5e-300]], labels: [1, 2])
        let outcome = try FitPipeline.run(
            SampleTable(featureNames: ["x", "y"], labelName: "E, kcal", features: [[0.1, 0.4, 0.9, 0.3, 0.7], [2, 1, 0, 0.5, 1.5]], labels: [1, 2, 3, 4, 5]),
            FitConfiguration(center: .origin, order: .fixed(1)))
        let data = try Augmenter(fit: outcome, operations: try ops(["reflect(x)", "swap(x,y)"], names: ["x", "y"]), scheme: .naive).augment(table)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symdetect-aug-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.csv").path
        try AtomicFile.write(to: path) { try data.writeCSV(to: $0, columns: ["E, kcal", "y", "x"], provenance: true) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + 16)
        XCTAssertEqual(lines[0], "\"E, kcal\",y,x,operation")
        XCTAssertEqual(lines[1], "1,2,0.10000000000000001,identity")
        XCTAssertEqual(lines[2], "2,-5e-300,0.33333333333333331,identity")
        XCTAssertTrue(lines.contains { $0.hasSuffix(",\"reflect(x)*swap(x,y)\"") }, lines.joined(separator: "\n"))
    }

    func testHeaderOrderOfTheInputIsKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symdetect-aug-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("in.csv").path
        try Data("\u{FEFF}\n  E ; x;\"id; text\";y\n1;2;a;3\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(CSVHeader.columnNames(path: path), ["E", "x", "id; text", "y"])
        let table = SampleTable(featureNames: ["y", "x"], labelName: "E", features: [[3], [2]], labels: [1])
        let columns = CSVHeader.usedColumnsInFileOrder(path: path, delimiter: nil, table: table)
        XCTAssertEqual(columns.used, ["E", "x", "y"])
        XCTAssertEqual(columns.unused, ["id; text"])
        let spaced = dir.appendingPathComponent("ws.txt").path
        try Data("  a   b  c  \n1 2 3\n".utf8).write(to: URL(fileURLWithPath: spaced))
        XCTAssertEqual(CSVHeader.columnNames(path: spaced), ["a", "b", "c"])
    }
}
