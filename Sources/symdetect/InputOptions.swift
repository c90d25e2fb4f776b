import ArgumentParser
import Foundation
import SymdetectCore

/// The dataset and the roles of its columns; shared by every command that reads a CSV.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "The CSV file (a header row of column names, then numeric rows; comma, tab, semicolon or whitespace separated), or molecular frames in extended XYZ (.xyz, .extxyz).",
        valueName: "data"))
    var data: String

    @Option(help: ArgumentHelp(
        "Name of the label column (default: the last column).",
        valueName: "name"))
    var label: String?

    @Option(help: ArgumentHelp(
        "Comma-separated names of the coordinate columns, in the order wanted (default: every column but the label).",
        valueName: "a,b,c"))
    var features: String?

    @Option(help: ArgumentHelp(
        "Field separator: comma, tab, semicolon or whitespace (default: detected from the header line).",
        valueName: "sep"))
    var delimiter: String?

    func validate() throws {
        if data.isEmpty { throw ValidationError("the data path is empty: expected the path of a CSV file") }
        if let label, label.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--label is empty: expected the name of a column")
        }
        if let delimiter, CSVDelimiter(argument: delimiter) == nil {
            throw ValidationError("--delimiter must be comma, tab, semicolon or whitespace (or the character ',', ';', '\\t'), got '\(delimiter)'")
        }
        if let features {
            let names = Self.splitNames(features)
            if names.isEmpty || names.contains(where: \.isEmpty) {
                throw ValidationError("--features must be a comma-separated list of column names (e.g. --features x,y,z), got '\(features)'")
            }
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                throw ValidationError("--features names column '\(name)' twice")
            }
            if let label, names.contains(label.trimmingCharacters(in: .whitespaces)) {
                throw ValidationError("--features includes the label column '\(label)': a column is either a coordinate or the label")
            }
        }
    }

    static func splitNames(_ list: String) -> [String] {
        list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    var readOptions: CSVReadOptions {
        CSVReadOptions(
            delimiter: delimiter.flatMap(CSVDelimiter.init(argument:)),
            label: label?.trimmingCharacters(in: .whitespaces),
            features: features.map(Self.splitNames))
    }

    /// Reads the table, with a progress line on a terminal.
    func readTable() throws -> SampleTable {
        let name = URL(fileURLWithPath: data).lastPathComponent
        let progress = ProgressLine("reading \(name)")
        defer { progress.finish() }
        return try CSVReader.read(path: data, options: readOptions) { done, total in
            progress.update(done: done, total: total)
        }
    }
}
