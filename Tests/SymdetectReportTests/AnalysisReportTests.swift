import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SymdetectCore
import XCTest
@testable import SymdetectReport

/// The report layer: section order, content drawn from the result, figure names, well-formed
/// deterministic SVG.
final class AnalysisReportTests: XCTestCase {
    /// V = x² + 2y² + 0.05y³ on a small grid-free sample: reflect(x) exact, reflect(y) broken by
    /// a small cubic term (approximate with a generous target error), swap(x,y) absent.
    static let result: AnalysisResult = {
        var rng = SeededGenerator(seed: 5)
        var xs: [Double] = [], ys: [Double] = [], v: [Double] = []
        for _ in 0..<300 {
            let (x, y) = (rng.uniform(-1, 1), rng.uniform(-1, 1))
            xs.append(x); ys.append(y)
            v.append(x * x + 2 * y * y + 0.05 * y * y * y + 0.0005 * rng.nextGaussian())
        }
        let table = SampleTable(featureNames: ["x", "y"], labelName: "V", features: [xs, ys], labels: v)
        var configuration = AnalysisConfiguration(fit: FitConfiguration(center: .auto, order: .fixed(4)))
        configuration.targetError = 0.05
        return try! Analyzer.run(table, configuration)
    }()

    static let context = ReportContext(inputPath: "data/well.csv", inputSHA256: String(repeating: "ab", count: 32),
                                       toolVersion: "9.9.9", units: "eV", figureStem: "well",
                                       command: "symdetect analyze data/well.csv --target-error 0.05")

    func testSectionsComeInTheDocumentedOrder() {
        let markdown = AnalysisReport.render(Self.result, context: Self.context).markdown
        let headings = ["# Symmetry report: `data/well.csv`", "**Verdict.**", "## Recommendation", "## Tested operations",
                        "## The Taylor fit", "## Figures", "## How this was computed"]
        var previous = markdown.startIndex
        for heading in headings {
            guard let range = markdown.range(of: heading, range: previous..<markdown.endIndex) else {
                return XCTFail("missing or out of order: \(heading)")
            }
            previous = range.upperBound
        }
    }

    func testEveryOperationAndProvenanceAppear() {
        let markdown = AnalysisReport.render(Self.result, context: Self.context).markdown
        for op in Self.result.operations {
            XCTAssertTrue(markdown.contains("| `\(op.name)` | "), "table row for \(op.name)")
        }
        XCTAssertTrue(markdown.contains(String(repeating: "ab", count: 32)), "SHA-256")
        XCTAssertTrue(markdown.contains("symdetect 9.9.9"))
        XCTAssertTrue(markdown.contains("`symdetect analyze data/well.csv --target-error 0.05`"))
        XCTAssertTrue(markdown.contains("0.05 eV (--target-error)"))
        XCTAssertTrue(markdown.contains("| rows | 300 |"))
        if let command = Self.context.augmentCommand(Self.result.recommendation) {
            XCTAssertTrue(markdown.contains("```sh\n\(command)\n```"))
        }
        XCTAssertFalse(markdown.contains("nan"), "no undefined numbers printed as nan")
    }

    func testFiguresAreLinkedAndNamedAfterTheReport() {
        let rendered = AnalysisReport.render(Self.result, context: Self.context)
        let names = rendered.figures.map(\.name)
        XCTAssertEqual(names.first, "well-learning-curve.svg")
        let approximate = Self.result.operations.filter { $0.verdict == .approximate && $0.mirror.usable > 0 }
        XCTAssertEqual(names.count, 1 + approximate.count)
        for op in approximate {
            let name = "well-mirror-\(FigureNames.slug(op.name)).svg"
            XCTAssertTrue(names.contains(name), name)
            XCTAssertTrue(rendered.markdown.contains("](\(name))"))
        }
        XCTAssertTrue(rendered.markdown.contains("](well-learning-curve.svg)"))
    }

    func testRenderingIsDeterministic() {
        let a = AnalysisReport.render(Self.result, context: Self.context)
        let b = AnalysisReport.render(Self.result, context: Self.context)
        XCTAssertEqual(a.markdown, b.markdown)
        XCTAssertEqual(a.figures, b.figures)
    }

    func testSVGFiguresAreWellFormedXML() {
        let rendered = AnalysisReport.render(Self.result, context: Self.context)
        var figures = rendered.figures
        // A mirror plot even if no operation came out approximate here.
        if let op = Self.result.operations.first(where: { $0.mirror.usable > 0 }) {
            figures.append(ReportFile(name: "mirror.svg", contents: MirrorResidualPlot(result: Self.result, operation: op, units: "eV").svg))
        }
        for figure in figures {
            let parser = XMLParser(data: Data(figure.contents.utf8))
            XCTAssertTrue(parser.parse(), "\(figure.name): \(parser.parserError.map { "\($0)" } ?? "")")
            XCTAssertTrue(figure.contents.hasPrefix("<?xml"))
            XCTAssertFalse(figure.contents.contains("nan"), figure.name)
            XCTAssertFalse(figure.contents.contains("inf\""), figure.name)
        }
    }

    func testOperationSlugs() {
        XCTAssertEqual(FigureNames.slug("reflect(q1)"), "reflect-q1")
        XCTAssertEqual(FigureNames.slug("reflect(mode 3)"), "reflect-mode-3")
        XCTAssertEqual(FigureNames.slug("rotate(x,y,*)"), "rotate-x-y-any")
        XCTAssertEqual(FigureNames.slug("rotate(x,y,22.5)"), "rotate-x-y-22p5")
        XCTAssertEqual(FigureNames.slug("O3(x,y,z)"), "O3-x-y-z")
        XCTAssertEqual(FigureNames.slug("invert"), "invert")
        XCTAssertEqual(FigureNames.slug("()"), "operation")
    }

    func testAxes() {
        XCTAssertEqual(LogAxis.decades(covering: [0.003, 250]).0, -3)
        XCTAssertEqual(LogAxis.decades(covering: [0.003, 250]).1, 3)
        XCTAssertEqual(LogAxis.decades(covering: [10, 10]).1, 2, "at least one decade wide")
        let axis = LogAxis(lo: 0, hi: 20, pixelStart: 0, pixelEnd: 100)
        XCTAssertLessThanOrEqual(axis.labelledDecades().count, 11)
        XCTAssertEqual(axis.pixel(1e10), 50, accuracy: 1e-9)
        XCTAssertEqual(LinearAxis(lo: -7, hi: 7, pixelStart: 0, pixelEnd: 1).ticks(), [-6, -4, -2, 0, 2, 4, 6])
        XCTAssertEqual(SVGDocument.number(12.5), "12.5")
        XCTAssertEqual(SVGDocument.number(-0.001), "0")
        XCTAssertEqual(SVGDocument.escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;")
    }

    func testNumberHelpers() {
        XCTAssertEqual(MarkdownReport.count(134_567), "135000")
        XCTAssertEqual(MarkdownReport.count(87.4), "87")
        XCTAssertEqual(MarkdownReport.count(2.5e7), "2.5e+07")
        XCTAssertEqual(MarkdownReport.pValue(0), "< 1e-300")
        XCTAssertEqual(MarkdownReport.pValue(0.0123), "0.012")
        XCTAssertEqual(MarkdownReport.cell("a|b"), "a\\|b")
        XCTAssertEqual(MarkdownReport.list(["a", "b", "c"]), "a, b and c")
    }
}
