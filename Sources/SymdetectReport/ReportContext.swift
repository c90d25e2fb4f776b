import Foundation
import SymdetectCore

/// What the report says about its own provenance, supplied by the caller (the report layer
/// does no I/O): the input path as given, its digest, the tool version, the label's units, the
/// file stem shared by the report's figures and the command that reproduces the report.
public struct ReportContext: Sendable, Equatable {
    public var inputPath: String
    /// SHA-256 of the input file, lower-case hex (nil: not computed).
    public var inputSHA256: String?
    public var toolVersion: String
    /// Label units shown next to floors and errors (`--units`), e.g. "cm^-1".
    public var units: String?
    /// Figures are named `<figureStem>-learning-curve.svg` and `<figureStem>-mirror-<op>.svg`
    /// and linked relative to the report (they are written next to it).
    public var figureStem: String
    /// The `symdetect analyze ...` command that reproduces the report (without output paths).
    public var command: String?
    /// The input and fit options to repeat in the recommended `augment` command, so that it
    /// reads the same columns and fits the same model (e.g. ["--label", "E"]).
    public var augmentOptions: [String]
    /// The learning-curve JSON the slope was measured in, when one was given.
    public var learningCurvePath: String?
    /// The extension of the augmented file the `augment` command writes: `csv` for tables,
    /// the input's own (`extxyz`, `xyz`) for molecular frames, whose augmentation writes
    /// geometries with energies and forces.
    public var augmentedExtension: String = "csv"

    public init(inputPath: String, inputSHA256: String?, toolVersion: String, units: String?,
                figureStem: String, command: String?, augmentOptions: [String] = [], learningCurvePath: String? = nil) {
        self.inputPath = inputPath
        self.inputSHA256 = inputSHA256
        self.toolVersion = toolVersion
        self.units = units
        self.figureStem = figureStem
        self.command = command
        self.augmentOptions = augmentOptions
        self.learningCurvePath = learningCurvePath
    }

    /// The `symdetect augment ...` command that writes the recommended augmentation (next to the
    /// input, `<name>-augmented.<augmentedExtension>`); nil when nothing is recommended.
    public func augmentCommand(_ recommendation: Recommendation) -> String? {
        guard !recommendation.operations.isEmpty else { return nil }
        let stem = ((inputPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let dir = (inputPath as NSString).deletingLastPathComponent
        let out = (dir.isEmpty ? "" : dir + "/") + stem + "-augmented." + augmentedExtension
        var parts = ["symdetect", "augment", inputPath]
        for op in recommendation.operations { parts += ["--op", op.name] }
        parts += ["--scheme", recommendation.scheme.rawValue]
        parts += augmentOptions
        parts += ["-o", out]
        return parts.map(Shell.quote).joined(separator: " ")
    }
}

/// POSIX shell quoting for the commands a report prints.
public enum Shell {
    static let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+")

    /// Single-quotes a word when it contains anything but safe characters.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// One generated file: its name (relative to the report's directory) and content.
public struct ReportFile: Sendable, Equatable {
    public let name: String
    public let contents: String
}

/// The whole rendered report: the Markdown text and its SVG figures.
public struct RenderedReport: Sendable {
    public let markdown: String
    public let figures: [ReportFile]
}

public enum AnalysisReport {
    /// Renders the Markdown report and its figures. Pure: the same result and context always
    /// give the same bytes.
    public static func render(_ result: AnalysisResult, context: ReportContext) -> RenderedReport {
        let names = FigureNames(stem: context.figureStem, result: result)
        let plotted = result.operations.filter { op in op.verdict == .approximate && names.mirror[op.name] != nil && op.mirror.usable > 0 }
        // The Markdown and every figure are independent texts: rendered concurrently, each into
        // its own slot, so the bytes do not depend on scheduling.
        var texts = [String](repeating: "", count: plotted.count + 2)
        texts.withUnsafeMutableBufferPointer { buffer in
            let slots = TextSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: plotted.count + 2) { k in
                switch k {
                case 0: slots[k] = MarkdownReport(result: result, context: context, figures: names).text
                case 1: slots[k] = LearningCurvePlot(result: result, units: context.units).svg
                default: slots[k] = MirrorResidualPlot(result: result, operation: plotted[k - 2], units: context.units).svg
                }
            }
        }
        let figures = [ReportFile(name: names.learningCurve, contents: texts[1])]
            + plotted.enumerated().map { ReportFile(name: names.mirror[$0.element.name]!, contents: texts[$0.offset + 2]) }
        return RenderedReport(markdown: texts[0], figures: figures)
    }

    /// Distinct slots concurrent renderings write to (each index once).
    private struct TextSlots: @unchecked Sendable {
        let base: UnsafeMutableBufferPointer<String>
        init(_ base: UnsafeMutableBufferPointer<String>) { self.base = base }
        subscript(i: Int) -> String {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }
    }
}

/// File names of the figures: `<stem>-learning-curve.svg`, `<stem>-mirror-<slug>.svg` with the
/// operation's name reduced to letters, digits and hyphens ("reflect(q1)" → "reflect-q1",
/// "rotate(x,y,*)" → "rotate-x-y-any"), made unique with a numeric suffix if two collide.
public struct FigureNames: Sendable {
    public let learningCurve: String
    /// Keyed by operation name; only approximate operations with usable mirror pairs.
    public let mirror: [String: String]

    public init(stem: String, result: AnalysisResult) {
        learningCurve = "\(stem)-learning-curve.svg"
        var used: Set<String> = [learningCurve]
        var mirror: [String: String] = [:]
        for op in result.operations where op.verdict == .approximate && op.mirror.usable > 0 {
            let base = "\(stem)-mirror-\(Self.slug(op.name))"
            var name = base + ".svg", k = 2
            while used.contains(name) { name = "\(base)-\(k).svg"; k += 1 }
            used.insert(name)
            mirror[op.name] = name
        }
        self.mirror = mirror
    }

    public static func slug(_ name: String) -> String {
        var out = ""
        var lastWasHyphen = true
        for scalar in name.unicodeScalars {
            if scalar == "*" {
                if !lastWasHyphen { out += "-" }
                out += "any"
                lastWasHyphen = false
            } else if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == "." {
                out.unicodeScalars.append(scalar == "." ? "p" : scalar)
                lastWasHyphen = false
            } else if !lastWasHyphen {
                out += "-"
                lastWasHyphen = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "operation" : out
    }
}
